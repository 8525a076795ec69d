// Ids that bind buttons to listeners. Kept in one place so blocks and listeners cannot drift apart.
import { z } from 'zod';
import { AWS_REGION_RE } from '../aws-shapes.js';

export const ACTION = {
  checkStatus: 'bedrock_check_status',
  requestActivation: 'bedrock_request_activation',
  approve: 'bedrock_approve',
  reject: 'bedrock_reject',
  cancelRequest: 'bedrock_cancel_request',
  notWhatHappened: 'bedrock_not_what_happened',
} as const;

/** Modal `callback_id`s. */
export const VIEW = {
  requestModal: 'bedrock_request_modal',
  rejectModal: 'bedrock_reject_modal',
} as const;

/** Approve, Reject and Cancel carry only the request's key; everything else is loaded from the store. */
export const REQUEST_KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseRequestKey(raw: string | undefined): string | undefined {
  return raw && REQUEST_KEY_PATTERN.test(raw) ? raw : undefined;
}

/** Model ids, inference-profile ids and ARNs: no spaces, no markup, no shell metacharacters. */
export const MODEL_REF_PATTERN = /^[A-Za-z0-9._:/-]{1,1000}$/;

/** What a model button carries: the model reference and, when known, the region. Short keys: values ≤ 2,000 chars. */
export const modelButtonValue = z.object({
  m: z.string().regex(MODEL_REF_PATTERN),
  r: z.string().regex(AWS_REGION_RE).optional(),
  /** The AWS account the error or ARN named, when it named one. */
  a: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
});
export type ModelButtonValue = z.infer<typeof modelButtonValue>;

/** Reads a button value; undefined when it is not one of ours (a button value is attacker-shaped input). */
export function parseModelButtonValue(raw: string | undefined): ModelButtonValue | undefined {
  if (!raw) return undefined;
  try {
    const parsed = modelButtonValue.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** "Not what happened?" carries only the id of the held paste (a random UUID); the paste itself waits in the store. */
export function parseHeldPasteId(raw: string | undefined): string | undefined {
  return parseRequestKey(raw);
}
