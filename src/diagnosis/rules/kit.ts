// What every classification rule shares: its input, its answer, and the phrase test.
import type { Clues } from '../extract-facts.js';
import type { PhraseIndex } from '../phrase-index.js';
import type { Category, Facts } from '../types.js';

export interface Classification {
  category: Category;
  cause: string;
}

export interface RuleInput {
  /** Normalized text, lower-cased. */
  lower: string;
  phrases: PhraseIndex;
  facts: Facts;
  clues: Clues;
}

export type Rule = (input: RuleInput) => Classification | undefined;

/** Whether the text holds any of the phrases (all lower-case). */
export function has(phrases: PhraseIndex, ...needles: string[]): boolean {
  for (let i = 0; i < needles.length; i++) if (phrases.has(needles[i] as string)) return true;
  return false;
}

export const hit = (category: Category, flavour: string): Classification => ({
  category,
  cause: `${category}.${flavour}`,
});

/** The error code reads as a request the service (or the SDK) refused as malformed. */
export function isValidationError({ facts, phrases }: RuleInput): boolean {
  const ex = facts.exception?.toLowerCase() ?? '';
  return (
    ex.includes('validation') ||
    facts.httpStatus === 400 ||
    has(phrases, 'validationexception', 'validationerror', 'bad request', 'badrequesterror', 'invalid_request_error')
  );
}

/** The error code reads as an authorization refusal. */
export function isAccessDenied({ facts, phrases }: RuleInput): boolean {
  const ex = facts.exception?.toLowerCase() ?? '';
  return (
    ex.startsWith('accessdenied') ||
    ex === 'permissiondeniederror' ||
    facts.httpStatus === 403 ||
    has(phrases, 'accessdenied', 'access denied', 'permissiondenied', 'permission_error')
  );
}
