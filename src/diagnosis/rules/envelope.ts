// When no message rule knows the wording, the error's envelope still says a lot: its code (ValidationException,
// AccessDeniedException, ResourceNotFoundException, …), its HTTP status, and what it names (a caller, an action, a
// model). Those decide the family; `unknown` is left for text that names nothing to act on.
import { type Classification, has, hit, isAccessDenied, isValidationError, type RuleInput } from './kit.js';

export function classifyByEnvelope(input: RuleInput): Classification | undefined {
  const { facts, phrases } = input;
  const ex = facts.exception?.toLowerCase() ?? '';
  // The model-id and profile wordings were read before: what is left of a validation error is the request itself.
  if (isValidationError(input)) return hit('client_misconfigured', 'invalid_request');
  if (isAccessDenied(input)) {
    if (facts.principalArn) return hit('iam_permission_missing', 'caller_denied');
    if (facts.modelId) return hit('model_access_not_granted', 'no_access_to_model');
    return undefined;
  }
  if (
    facts.httpStatus === 401 ||
    ex === 'authenticationerror' ||
    has(phrases, 'invalid authentication', 'authentication_error', 'authenticationerror', 'unauthorized')
  ) {
    if (has(phrases, 'token', 'api key', 'credential', 'authentication', 'signature')) {
      return hit('credentials_invalid_or_expired', 'token_invalid');
    }
  }
  if (ex === 'resourcenotfoundexception' && facts.modelId) return hit('model_not_found_or_eol', 'not_found');
  // Terraform's own frame (`on main.tf line 12, in resource "aws_…"`) around a schema error with no AWS error inside.
  if (has(phrases, 'in resource "') && has(phrases, '.tf line'))
    return hit('client_misconfigured', 'resource_definition');
  // A deploy tool's own line around the service's words ("Error: waiting for Bedrock … unexpected state 'FAILED'").
  if (has(phrases, 'error: creating bedrock', 'error: waiting for bedrock', 'error: updating bedrock')) {
    return hit('client_misconfigured', 'resource_definition');
  }
  return undefined;
}

/** Codes from Bedrock's API error-code table whose meaning does not depend on the message. */
const DOCUMENTED_CODES: Record<string, Classification> = {
  badcscoreexception: hit('account_restricted', 'support_case_required'),
  ftuformnotfilled: hit('anthropic_use_case_form_missing', 'not_submitted'),
  incompletesignature: hit('credentials_invalid_or_expired', 'signature_mismatch'),
};

export const documentedCode = ({ facts }: RuleInput): Classification | undefined =>
  facts.exception ? DOCUMENTED_CODES[facts.exception.toLowerCase()] : undefined;

/** The last word: nothing to act on, named as precisely as the text allows. */
export function unknownKind({ facts, phrases }: RuleInput): Classification {
  if (facts.exception && /accessdenied/i.test(facts.exception)) return hit('unknown', 'access_denied_without_detail');
  if (has(phrases, 'access denied', 'accessdenied')) return hit('unknown', 'access_denied_without_detail');
  if (facts.exception === 'InternalServerException') return hit('unknown', 'service_error');
  // The model itself failed or ran out of time: not an access problem, but worth naming precisely.
  const ex = facts.exception?.toLowerCase();
  if (ex === 'modeltimeoutexception') return hit('unknown', 'model_timeout');
  if (ex === 'modelerrorexception' || ex === 'modelstreamerrorexception') return hit('unknown', 'model_error');
  return hit('unknown', 'unrecognized');
}
