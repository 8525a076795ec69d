// What goes into and comes out of the table: size bounds on the way in, zod validation on the way out.
import { z } from 'zod';
import {
  type ActivationRequest,
  type AuditEvent,
  InvalidStoredItemError,
  REQUEST_STATES,
} from '../access/request-repository.js';

/** Character limits; with them a request item stays far below DynamoDB's 400 KB item limit (~60 KB worst case). */
export const LIMITS = {
  reason: 4000,
  text: 1000,
  id: 256,
  progressSteps: 50,
  joiners: 40,
} as const;

/** Cuts text to `max` characters, saying how much was cut, so a 40 KB paste never reaches the table whole. */
export function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = ` … [truncated, ${text.length - max} more characters]`;
  let end = Math.max(0, max - marker.length);
  // Never keep half of a surrogate pair (an emoji): it is not valid UTF-8 for DynamoDB.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return text.slice(0, end) + marker;
}

export function boundOptional(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : bound(text, max);
}

const state = z.enum(REQUEST_STATES, {
  error: (issue) => `unknown state ${JSON.stringify(issue.input)} (expected one of ${REQUEST_STATES.join(', ')})`,
});
const actor = z.object({ userId: z.string(), teamId: z.string().optional() });
const participant = z.object({
  userId: z.string(),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
  at: z.string(),
});

const requestItem = z.object({
  id: z.string(),
  accountId: z.string(),
  region: z.string(),
  modelRef: z.string(),
  baseModelId: z.string(),
  provider: z.string(),
  requester: participant,
  joiners: z.array(participant).default([]),
  reason: z.string(),
  state,
  version: z.number().int().nonnegative(),
  decidedBy: actor.optional(),
  decidedAt: z.string().optional(),
  lastActor: actor.optional(),
  approvalMessage: z.object({ channelId: z.string(), ts: z.string() }).optional(),
  progress: z
    .array(
      z.object({
        step: z.string(),
        status: z.enum(['started', 'done', 'skipped', 'failed']),
        at: z.string(),
        detail: z.string().optional(),
      }),
    )
    .default([]),
  offer: z
    .object({ offerToken: z.string().optional(), summary: z.string(), termsUrl: z.string().optional() })
    .optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
});

const auditItem = z.object({
  id: z.string(),
  requestId: z.string(),
  at: z.string(),
  actor,
  action: z.string(),
  slack: z.object({ teamId: z.string().optional(), channelId: z.string().optional() }).optional(),
  fromState: state.optional(),
  toState: state.optional(),
  note: z.string().optional(),
});

function describeKey(raw: unknown): string {
  const r = raw as { pk?: unknown; sk?: unknown } | null;
  return `${String(r?.pk ?? '?')}/${String(r?.sk ?? '?')}`;
}

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new InvalidStoredItemError(
      describeKey(raw),
      result.error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`),
    );
  }
  return result.data;
}

/** Strips table keys and rejects items this code cannot safely act on (unknown state, missing fields). */
export function requestFromItem(raw: unknown): ActivationRequest {
  return parse(requestItem, raw) as ActivationRequest;
}

export function auditEventFromItem(raw: unknown): AuditEvent {
  return parse(auditItem, raw) as AuditEvent;
}
