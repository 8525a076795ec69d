// What every remedy builder gets (the facts, with placeholders for what the text did not show), what it returns,
// and the code-block builders.
import type { Clues } from '../extract-facts.js';
import type { Principal } from '../iam-policies.js';
import type { Diagnosis, Facts } from '../types.js';

export type Remedy = Pick<Diagnosis, 'title' | 'explanation' | 'steps' | 'notes' | 'activationCanHelp'>;

export interface RemedyContext {
  /** The cause without its category, e.g. `scp` for `explicit_deny.scp`. */
  flavour: string;
  facts: Facts;
  clues: Clues;
  /** Foundation model id for the agreement and catalogue APIs, or a placeholder. */
  base: string;
  region: string;
  principal: Principal;
  /** Human name of the model for titles: "anthropic.claude-3-haiku…" or "the model". */
  modelName: string;
  /** The same, to open a sentence: "anthropic.claude-3-haiku…" or "The model". */
  modelSubject: string;
  /** `--profile x ` when the text named a profile. */
  profileOpt: string;
}

export const bash = (content: string) => ({ language: 'bash' as const, content });

export const json = (doc: object) => ({ language: 'json' as const, content: JSON.stringify(doc, null, 2) });

export const text = (content: string) => ({ language: 'text' as const, content });
