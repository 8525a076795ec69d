// Turns a classification plus facts into words and safe, ordered steps. Commands are filled with the extracted
// model id, region and principal; anything unknown stays a visible `<placeholder>`. One module per category family
// lives in ./remediation/, with the steps they share in ./remediation/shared.ts.
import type { Classification } from './classify.js';
import type { Clues } from './extract-facts.js';
import { principalOf, sh } from './iam-policies.js';
import { accountRestrictedRemedy } from './remediation/account.js';
import { clientRemedy } from './remediation/client.js';
import type { Remedy, RemedyContext } from './remediation/context.js';
import { credentialsRemedy } from './remediation/credentials.js';
import { explicitDenyRemedy } from './remediation/explicit-deny.js';
import { iamRemedy } from './remediation/iam.js';
import { marketplaceRemedy, modelAccessRemedy, useCaseRemedy } from './remediation/marketplace.js';
import { inferenceProfileRemedy, modelLifecycleRemedy } from './remediation/model-id.js';
import { regionRemedy } from './remediation/region.js';
import { throttlingRemedy } from './remediation/throttling.js';
import { unknownRemedy } from './remediation/unknown.js';
import type { Category, Facts } from './types.js';

export type { Remedy } from './remediation/context.js';

const REMEDIES: Record<Category, (ctx: RemedyContext) => Remedy> = {
  marketplace_subscription_missing: marketplaceRemedy,
  anthropic_use_case_form_missing: useCaseRemedy,
  model_access_not_granted: modelAccessRemedy,
  iam_permission_missing: iamRemedy,
  explicit_deny: explicitDenyRemedy,
  inference_profile_required: inferenceProfileRemedy,
  model_not_found_or_eol: modelLifecycleRemedy,
  region_unsupported: regionRemedy,
  client_misconfigured: clientRemedy,
  credentials_invalid_or_expired: credentialsRemedy,
  throttling_or_quota: throttlingRemedy,
  account_restricted: accountRestrictedRemedy,
  unknown: unknownRemedy,
};

export function remediate(classification: Classification, facts: Facts, clues: Clues): Remedy {
  const { category, cause } = classification;
  const ctx: RemedyContext = {
    flavour: cause.slice(category.length + 1),
    facts,
    clues,
    base: facts.baseModelId ?? '<model-id>',
    region: facts.region ?? '<region>',
    principal: principalOf(facts.principalArn),
    modelName: facts.modelId ?? 'the model',
    modelSubject: facts.modelId ?? 'The model',
    profileOpt: clues.profileName ? `--profile ${sh(clues.profileName)} ` : '',
  };
  return REMEDIES[category](ctx);
}
