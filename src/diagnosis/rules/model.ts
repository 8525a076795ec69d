// Rules about the model itself: the Anthropic use-case form, inference profiles, and models that are gone or unknown.
import { has, hit, type Rule } from './kit.js';

export const useCaseForm: Rule = ({ phrases }) =>
  has(
    phrases,
    'use case details have not been submitted',
    'use case details form',
    'use case form',
    'use-case form',
    'not filled out the request form',
    'ftuformnotfilled',
  )
    ? hit('anthropic_use_case_form_missing', 'not_submitted')
    : undefined;

export const inferenceProfile: Rule = ({ phrases }) =>
  has(phrases, "on-demand throughput isn't supported", 'on-demand throughput is not supported') ||
  // The older wording of the same refusal.
  has(phrases, "doesn't support on-demand throughput", 'does not support on-demand throughput') ||
  has(phrases, 'with the id or arn of an inference profile')
    ? hit('inference_profile_required', 'on_demand_not_supported')
    : undefined;

// OpenAI-compatible endpoints and gateways: "The model `x` does not exist".
const MODEL_DOES_NOT_EXIST_RE = /model \S{1,200} does not exist/;

export const lifecycle: Rule = ({ phrases, lower }) => {
  if (has(phrases, 'marked by provider as legacy', 'is marked as legacy', 'in legacy status')) {
    return hit('model_not_found_or_eol', 'legacy');
  }
  if (has(phrases, 'reached the end of its life', 'end of life')) return hit('model_not_found_or_eol', 'end_of_life');
  if (has(phrases, 'model identifier is invalid', 'invalid model identifier')) {
    return hit('model_not_found_or_eol', 'invalid_identifier');
  }
  // Anthropic-on-Bedrock wording for a model the region (or the account) does not serve.
  if (
    has(
      phrases,
      'could not resolve the foundation model',
      'model not found',
      'model is not found',
      'invoked an unsupported model',
      'does not exist or you do not have access',
    ) ||
    (has(phrases, 'does not exist') && MODEL_DOES_NOT_EXIST_RE.test(lower))
  ) {
    return hit('model_not_found_or_eol', 'not_found');
  }
  return undefined;
};
