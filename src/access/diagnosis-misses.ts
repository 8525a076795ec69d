// "Not what happened?" on a diagnosis card: the paste and what the bot said, held for a short window, kept for
// MISSES_TTL_DAYS only when the person who pasted it clicks, and exported as corpus rows to be labelled.
// The port the store implements, and the pure parts (redaction, the row shape) that do not depend on it.
import type { Category, Diagnosis, Facts } from '../diagnosis/types.js';
import { redactSecrets, redactValue } from '../redact.js';

/** How long a paste waits for the click. Nothing is kept past it unless the person clicks. */
export const HOLD_MINUTES = 30;

/** The most of a paste that is held: corpus rows are error messages, and a Slack message is at most 40,000 characters. */
export const HELD_TEXT_MAX = 40_000;

/** What the bot said about the paste, as stored beside it. */
export interface Diagnosed {
  category: Category;
  cause: string;
  title: string;
  facts: Facts;
}

export interface HeldPaste {
  /** Unguessable: the button carries it, and holding it is what lets a click keep the paste. */
  id: string;
  /** Who pasted it; only they may keep it. */
  userId: string;
  teamId?: string;
  /** Already redacted and bounded (see `pasteToHold`). */
  text: string;
  diagnosed: Diagnosed;
}

export interface KeptMiss extends HeldPaste {
  heldAt: string;
  keptAt: string;
}

export type KeepOutcome =
  | { kept: true; miss: KeptMiss }
  /** Already kept by an earlier click: nothing changes. */
  | { kept: false; reason: 'already_kept' }
  /** The hold window passed (or the id was never ours): nothing to keep. */
  | { kept: false; reason: 'gone' }
  | { kept: false; reason: 'not_yours' };

/** The store's side: a hold with a short TTL, one conditional update to keep it, and the kept ones in order. */
export interface MissStore {
  hold(paste: HeldPaste, holdSeconds: number): Promise<void>;
  keep(id: string, by: { userId: string }, keepDays: number): Promise<KeepOutcome>;
  /** Kept misses not yet expired, oldest first. */
  listKept(): Promise<KeptMiss[]>;
}

/**
 * Secrets out, as the logs do it. The same redaction as the logs (src/redact.ts).
 */
export function redactPaste(text: string): string {
  return redactSecrets(text).text;
}

/** The paste as it is held: redacted, then cut to HELD_TEXT_MAX characters. */
export function pasteToHold(pasted: string): string {
  const redacted = redactPaste(pasted);
  return redacted.length <= HELD_TEXT_MAX ? redacted : `${redacted.slice(0, HELD_TEXT_MAX)}…`;
}

export function diagnosedAs(d: Diagnosis): Diagnosed {
  // Facts come from the paste too: they pass through the same redaction.
  return { category: d.category, cause: d.cause, title: d.title, facts: redactValue(d.facts) as Facts };
}

/** A row of the error corpus (test/fixtures), with `category` left for a person to fill in, plus `diagnosed`. */
export interface MissRow {
  id: string;
  text: string;
  source: string;
  category: null;
  accept: [];
  /** The facts the bot read, in the corpus's key names, for the labeller to confirm. */
  facts: Record<string, unknown>;
  diagnosed: { category: Category; cause: string; title: string };
}

export function missRow(miss: KeptMiss): MissRow {
  return {
    id: `miss-${miss.keptAt.slice(0, 10).replace(/-/g, '')}-${miss.id.slice(0, 8)}`,
    text: miss.text,
    source: `slack:not-what-happened:${miss.keptAt}`,
    category: null,
    accept: [],
    facts: corpusFacts(miss.diagnosed.facts),
    diagnosed: { category: miss.diagnosed.category, cause: miss.diagnosed.cause, title: miss.diagnosed.title },
  };
}

/** The engine's fact names → the corpus's (test/fixtures/errors-dev.jsonl). */
const CORPUS_FACT_KEYS: Partial<Record<keyof Facts, string>> = {
  exception: 'exception',
  operation: 'operation',
  modelId: 'model_id',
  region: 'region',
  principalArn: 'principal_arn',
  accountId: 'account_id',
  actions: 'missing_actions',
  resource: 'resource',
  deniedBy: 'deny_policy_type',
  policyArn: 'policy_arn',
  retryAfterMinutes: 'retry_after_minutes',
  inactivityDays: 'inactivity_days',
  httpStatus: 'http_status',
  requestId: 'request_id',
};

function corpusFacts(facts: Facts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(CORPUS_FACT_KEYS) as [keyof Facts, string][]) {
    const value = facts[key];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) out[name] = value;
  }
  return out;
}
