// Decides the category and the finer cause from the text and its facts. Message rules run from the most specific
// wording to the most generic signal, so when two signals conflict the more specific one wins; when none knows the
// wording, the error's envelope (its code, status and what it names) decides before `unknown` is considered.
import type { Clues } from './extract-facts.js';
import type { TextView } from './phrase-index.js';
import {
  accountRestricted,
  agentDependency,
  guardPolicy,
  iamPermission,
  marketplace,
  modelAccess,
} from './rules/access.js';
import { clientSetup, deployResourceType, regionOrEndpoint, regionSetting } from './rules/client.js';
import { credentials } from './rules/credentials.js';
import { classifyByEnvelope, documentedCode, unknownKind } from './rules/envelope.js';
import type { Classification, Rule } from './rules/kit.js';
import { inferenceProfile, lifecycle, useCaseForm } from './rules/model.js';
import { requestShape } from './rules/request.js';
import { throttling } from './rules/throttling.js';
import type { Facts } from './types.js';

export type { Classification } from './rules/kit.js';

const RULES: readonly Rule[] = [
  documentedCode,
  useCaseForm,
  inferenceProfile,
  lifecycle,
  deployResourceType,
  regionSetting,
  credentials,
  guardPolicy,
  marketplace,
  accountRestricted,
  agentDependency,
  iamPermission,
  modelAccess,
  throttling,
  regionOrEndpoint,
  clientSetup,
  requestShape,
];

export function classify(view: TextView, facts: Facts, clues: Clues): Classification {
  const input = { lower: view.lower, phrases: view.phrases, facts, clues };
  for (const rule of RULES) {
    const result = rule(input);
    if (result) return result;
  }
  return classifyByEnvelope(input) ?? unknownKind(input);
}
