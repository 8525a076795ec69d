// Decides the category and the finer cause from the text and its facts. Rules run from the most specific
// message to the most generic signal, so when two signals conflict the more specific one wins.
import {
  ESTABLISHED_BEDROCK_REGIONS,
  isControlPlaneOperation,
  isRuntimeOperation,
  REGION_PATTERN,
} from './aws-names.js';
import type { Clues } from './extract-facts.js';
import type { PhraseIndex, TextView } from './phrase-index.js';
import type { Category, DeniedBy, Facts } from './types.js';

export interface Classification {
  category: Category;
  cause: string;
}

interface Input {
  /** Normalized text, lower-cased. */
  lower: string;
  phrases: PhraseIndex;
  facts: Facts;
  clues: Clues;
}

type Rule = (input: Input) => Classification | undefined;

const has = (phrases: PhraseIndex, ...needles: string[]) => needles.some((n) => phrases.has(n));
const hit = (category: Category, flavour: string): Classification => ({ category, cause: `${category}.${flavour}` });

const BEDROCK_HOST_RE = new RegExp(
  `^(bedrock(?:-runtime|-agent|-agent-runtime|-mantle)?(?:-fips)?)\\.(${REGION_PATTERN})\\.amazonaws\\.com(?:\\.cn)?$`,
);

const DENIED_BY_FLAVOUR: Record<DeniedBy, string> = {
  'service control policy': 'scp',
  'resource control policy': 'rcp',
  'identity-based policy': 'identity_policy',
  'permissions boundary': 'permissions_boundary',
  'session policy': 'session_policy',
  'resource-based policy': 'resource_policy',
};

const marketplaceActionNamed = (facts: Facts) => facts.actions?.some((a) => a.startsWith('aws-marketplace:')) ?? false;

const useCaseForm: Rule = ({ phrases }) =>
  has(phrases, 'use case details have not been submitted', 'use case details form', 'use case form')
    ? hit('anthropic_use_case_form_missing', 'not_submitted')
    : undefined;

const inferenceProfile: Rule = ({ phrases }) =>
  has(phrases, "on-demand throughput isn't supported", 'on-demand throughput is not supported') ||
  // The older wording of the same refusal.
  has(phrases, "doesn't support on-demand throughput", 'does not support on-demand throughput') ||
  has(phrases, 'with the id or arn of an inference profile')
    ? hit('inference_profile_required', 'on_demand_not_supported')
    : undefined;

const lifecycle: Rule = ({ phrases }) => {
  if (has(phrases, 'marked by provider as legacy', 'is marked as legacy'))
    return hit('model_not_found_or_eol', 'legacy');
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
    )
  ) {
    return hit('model_not_found_or_eol', 'not_found');
  }
  return undefined;
};

// Before the credential rules: LangChain wraps every client error in "Could not load credentials to authenticate with
// AWS client … Bedrock error: <the real error>", and the real error is the one to fix.
const regionMissing: Rule = ({ phrases }) => {
  if (has(phrases, 'you must specify a region', 'noregionerror', 'region is missing')) {
    return hit('client_misconfigured', 'region_missing');
  }
  // A SigV4 scope error, not bad keys: the client signs for one region (or service) and calls another's endpoint.
  if (has(phrases, 'credential should be scoped to a valid region', 'credential should be scoped to correct service')) {
    return hit('client_misconfigured', 'signing_region');
  }
  return undefined;
};

const credentials: Rule = ({ lower, phrases, facts }) => {
  const ex = facts.exception?.toLowerCase();
  if (has(phrases, 'security token included in the request is expired', 'expiredtoken', 'token has expired')) {
    return hit('credentials_invalid_or_expired', has(phrases, 'sso') ? 'sso_session_expired' : 'token_expired');
  }
  if (has(phrases, 'sso session', 'sso token', 'ssotokenloaderror', 'unauthorizedssotokenerror', 'aws sso login')) {
    return hit('credentials_invalid_or_expired', 'sso_session_expired');
  }
  if (has(phrases, 'security token included in the request is invalid', 'unrecognizedclientexception')) {
    return hit('credentials_invalid_or_expired', 'token_invalid');
  }
  if (has(phrases, 'invalidclienttokenid', 'invalidaccesskeyid', 'access key id you provided does not exist')) {
    return hit('credentials_invalid_or_expired', 'token_invalid');
  }
  if (has(phrases, 'signature expired', 'signature not yet current'))
    return hit('credentials_invalid_or_expired', 'clock_skew');
  if (has(phrases, 'invalidsignatureexception', 'signaturedoesnotmatch', 'signature we calculated does not match')) {
    return hit('credentials_invalid_or_expired', 'signature_mismatch');
  }
  if (
    has(phrases, 'profilenotfound') ||
    (has(phrases, 'could not be found') && /profile .{0,200}could not be found/.test(lower))
  ) {
    return hit('credentials_invalid_or_expired', 'profile_not_found');
  }
  if (
    has(
      phrases,
      'unable to locate credentials',
      'could not load credentials',
      'nocredentialserror',
      'credentialsprovidererror',
      'missing credentials in config',
      'no credentials',
    )
  ) {
    return hit('credentials_invalid_or_expired', 'not_found');
  }
  if (has(phrases, 'api key') && has(phrases, 'invalid', 'expired', 'authentication failed')) {
    return hit('credentials_invalid_or_expired', 'api_key_invalid');
  }
  if (ex === 'missingauthenticationtoken' || has(phrases, 'missing authentication token')) {
    return hit('credentials_invalid_or_expired', 'not_found');
  }
  return undefined;
};

const guardPolicy: Rule = ({ phrases, facts, clues }) => {
  const guardNoAllow = has(
    phrases,
    'no session policy allows',
    'no permissions boundary allows',
    'no vpc endpoint policy allows',
    'no resource control policy allows',
  );
  if (!clues.explicitDeny && !guardNoAllow) return undefined;
  if (marketplaceActionNamed(facts)) return hit('explicit_deny', 'marketplace');
  if (
    clues.regionlessModelArn &&
    (facts.deniedBy === 'service control policy' || facts.deniedBy === 'identity-based policy')
  ) {
    return hit('explicit_deny', 'global_profile_region');
  }
  if (clues.vpcEndpointPolicy) return hit('explicit_deny', 'vpc_endpoint_policy');
  return hit('explicit_deny', facts.deniedBy ? DENIED_BY_FLAVOUR[facts.deniedBy] : 'unnamed_policy');
};

const marketplace: Rule = ({ phrases, facts }) => {
  if (has(phrases, 'payment instrument', 'invalid_payment'))
    return hit('marketplace_subscription_missing', 'payment_method');
  if (facts.actions?.includes('aws-marketplace:CreateAgreementRequest')) {
    return hit('marketplace_subscription_missing', 'agreement_request_denied');
  }
  if (has(phrases, 'subscription to the model could not be established')) {
    return hit('marketplace_subscription_missing', 'subscription_failed');
  }
  if (marketplaceActionNamed(facts)) {
    return hit(
      'marketplace_subscription_missing',
      facts.principalArn ? 'principal_lacks_permissions' : 'permissions_missing',
    );
  }
  if (has(phrases, 'aws marketplace', 'marketplace subscription', 'marketplace actions')) {
    return hit('marketplace_subscription_missing', 'permissions_missing');
  }
  return undefined;
};

const accountRestricted: Rule = ({ lower, phrases }) => {
  if (has(phrases, 'your account is not authorized to perform this action', 'create a support case')) {
    return hit('account_restricted', 'support_case_required');
  }
  if (has(phrases, 'operation not allowed') && /operation not allowed(?! in)/.test(lower))
    return hit('account_restricted', 'operation_not_allowed');
  if (has(phrases, 'account is suspended', 'account has been suspended', 'account is not enabled for')) {
    return hit('account_restricted', 'account_blocked');
  }
  return undefined;
};

// An agent (or flow) calls its action-group Lambda as the Bedrock service: the function's resource-based policy must
// allow bedrock.amazonaws.com. Bedrock reports that as dependencyFailedException wrapping the Lambda's denial.
const agentDependency: Rule = ({ phrases, facts, clues }) => {
  if (facts.exception?.toLowerCase() !== 'dependencyfailedexception') return undefined;
  const lambdaNamed = clues.arns.some((a) => a.service === 'lambda') || has(phrases, 'lambda function');
  if (lambdaNamed && has(phrases, 'access denied', 'not authorized', 'permission')) {
    return hit('iam_permission_missing', 'agent_lambda');
  }
  return undefined;
};

const iamPermission: Rule = ({ phrases, facts }) => {
  if (
    !has(phrases, 'not authorized to perform:', 'not authorized to perform ') ||
    has(phrases, 'your account is not')
  ) {
    if (!(facts.actions?.length && has(phrases, 'not authorized', 'accessdenied', 'access denied'))) return undefined;
  }
  if (facts.actions?.includes('sts:AssumeRole')) return hit('iam_permission_missing', 'assume_role');
  if (facts.deniedBy === 'resource-based policy') return hit('iam_permission_missing', 'resource_policy');
  const bedrockAction = facts.actions?.find((a) => a.startsWith('bedrock:'));
  if (bedrockAction && /^bedrock:InvokeModel|^bedrock:Converse/.test(bedrockAction)) {
    return hit('iam_permission_missing', 'invoke');
  }
  return hit('iam_permission_missing', bedrockAction ? 'bedrock_action' : 'other_action');
};

const modelAccess: Rule = ({ phrases }) => {
  if (
    has(
      phrases,
      "don't have access to the model",
      'do not have access to the model',
      "don't have access to this model",
      'does not have access to the model',
      'not allowed to access this model',
      'not authorized to access this model',
      'not supported on this account',
      'not enabled for this account',
    )
  ) {
    return hit('model_access_not_granted', 'no_access_to_model');
  }
  if (has(phrases, 'your account is not authorized to invoke this api operation')) {
    return hit('model_access_not_granted', 'account_not_authorized_for_api');
  }
  if (has(phrases, 'access to the model is not enabled', 'model access is not enabled', 'model access is denied')) {
    return hit('model_access_not_granted', 'no_access_to_model');
  }
  return undefined;
};

const throttling: Rule = ({ phrases, facts }) => {
  if (has(phrases, 'too many tokens per day')) return hit('throttling_or_quota', 'tokens_per_day');
  if (has(phrases, 'servicequotaexceeded', 'service quota', 'quota exceeded', 'exceeded your quota')) {
    return hit('throttling_or_quota', 'service_quota');
  }
  if (has(phrases, 'too many tokens')) return hit('throttling_or_quota', 'tokens');
  if (has(phrases, 'modelnotready', 'model is not ready', 'not ready to serve'))
    return hit('throttling_or_quota', 'model_not_ready');
  if (
    has(
      phrases,
      'throttlingexception',
      'too many requests',
      'request rate is too high',
      'rate exceeded',
      'toomanyrequests',
    ) ||
    has(phrases, 'throttled', 'ratelimiterror', 'rate limit') ||
    facts.httpStatus === 429
  ) {
    return hit('throttling_or_quota', 'requests');
  }
  if (has(phrases, 'serviceunavailable', 'service unavailable', 'unable to process your request')) {
    return hit('throttling_or_quota', 'service_unavailable');
  }
  return undefined;
};

const regionOrEndpoint: Rule = ({ lower, phrases, facts, clues }) => {
  if (
    (has(phrases, ' region') &&
      /(?:not (?:supported|available|offered)|isn't (?:supported|available)|unsupported|not enabled) (?:in|for) (?:this|the (?:current|requested|selected|specified)|your) region/.test(
        lower,
      )) ||
    has(
      phrases,
      'regiondisabledexception',
      'is not available in region',
      'not supported in region',
      'is not activated in this region',
      // The JS SDK v2's UnknownEndpoint: "This service may not be available in the `eu-north-1' region."
      'service may not be available in the',
    )
  ) {
    return hit('region_unsupported', 'not_offered_in_region');
  }
  const host = clues.unreachableHost;
  if (host) {
    const m = BEDROCK_HOST_RE.exec(host);
    if (m?.[2] && !ESTABLISHED_BEDROCK_REGIONS.has(m[2])) return hit('region_unsupported', 'no_endpoint_in_region');
    if (m) return hit('client_misconfigured', 'endpoint_unreachable');
    return hit('client_misconfigured', host.includes('amazonaws') ? 'bad_endpoint' : 'endpoint_unreachable');
  }
  if (facts.exception === 'EndpointConnectionError') return hit('client_misconfigured', 'endpoint_unreachable');
  return undefined;
};

const client: Rule = ({ lower, phrases, facts, clues }) => {
  const op = facts.operation;
  const host = clues.endpointHost ?? '';
  if (op && isControlPlaneOperation(op) && host.startsWith('bedrock-runtime')) {
    return hit('client_misconfigured', 'control_plane_call_on_runtime');
  }
  if (op && isRuntimeOperation(op) && /^bedrock(?:-fips)?\./.test(host) && has(phrases, 'unknown', 'not found')) {
    return hit('client_misconfigured', 'runtime_call_on_control_plane');
  }
  if (has(phrases, 'operation unknown', 'unknownoperationexception', 'unknown operation')) {
    return hit('client_misconfigured', 'wrong_endpoint');
  }
  if (
    /object has no attribute '(?:invoke_model|converse|list_foundation_models|get_foundation_model|retrieve|invoke_agent)/.test(
      lower,
    )
  ) {
    return hit('client_misconfigured', 'wrong_client');
  }
  if (has(phrases, 'unknown service', 'unknownserviceerror')) return hit('client_misconfigured', 'sdk_outdated');
  if (
    has(
      phrases,
      'malformed input request',
      'extraneous key',
      'parameter validation failed',
      'paramvalidationerror',
      'input is too long',
      'validation error detected',
    )
  ) {
    return hit('client_misconfigured', 'invalid_request');
  }
  if (facts.exception === 'InternalServerException' && op && isControlPlaneOperation(op)) {
    return hit('client_misconfigured', 'control_plane_internal_error');
  }
  return undefined;
};

const RULES: readonly Rule[] = [
  useCaseForm,
  inferenceProfile,
  lifecycle,
  regionMissing,
  credentials,
  guardPolicy,
  marketplace,
  accountRestricted,
  agentDependency,
  iamPermission,
  modelAccess,
  throttling,
  regionOrEndpoint,
  client,
];

export function classify(view: TextView, facts: Facts, clues: Clues): Classification {
  const { lower, phrases } = view;
  const input = { lower, phrases, facts, clues };
  for (const rule of RULES) {
    const result = rule(input);
    if (result) return result;
  }
  if (facts.exception && /accessdenied/i.test(facts.exception)) return hit('unknown', 'access_denied_without_detail');
  if (has(phrases, 'access denied', 'accessdenied')) return hit('unknown', 'access_denied_without_detail');
  if (facts.exception === 'InternalServerException') return hit('unknown', 'service_error');
  // The model itself failed or ran out of time: not an access problem, but worth naming precisely.
  const ex = facts.exception?.toLowerCase();
  if (ex === 'modeltimeoutexception') return hit('unknown', 'model_timeout');
  if (ex === 'modelerrorexception' || ex === 'modelstreamerrorexception') return hit('unknown', 'model_error');
  return hit('unknown', 'unrecognized');
}
