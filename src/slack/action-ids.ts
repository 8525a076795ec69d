// Ids that bind buttons to listeners. Kept in one place so blocks and listeners cannot drift apart.
import { z } from 'zod';
import { AWS_REGION_RE } from '../aws-shapes.js';

export const ACTION = {
  checkStatus: 'bedrock_check_status',
  requestActivation: 'bedrock_request_activation',
} as const;

/** Model ids, inference-profile ids and ARNs: no spaces, no markup, no shell metacharacters. */
export const MODEL_REF_PATTERN = /^[A-Za-z0-9._:/-]{1,1000}$/;

/** What a model button carries: the model reference and, when known, the region. Short keys: values ≤ 2,000 chars. */
export const modelButtonValue = z.object({
  m: z.string().regex(MODEL_REF_PATTERN),
  r: z.string().regex(AWS_REGION_RE).optional(),
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
