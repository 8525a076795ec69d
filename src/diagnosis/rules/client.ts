// Rules about the client's setup: region settings, endpoints and networks, SDK and CLI versions, and deploy tools.
import {
  ESTABLISHED_BEDROCK_REGIONS,
  isControlPlaneOperation,
  isRuntimeOperation,
  REGION_PATTERN,
} from '../aws-names.js';
import { has, hit, type Rule } from './kit.js';

const BEDROCK_HOST_RE = new RegExp(
  `^(bedrock(?:-runtime|-agent|-agent-runtime|-mantle)?(?:-fips)?)\\.(${REGION_PATTERN})(?:\\.amazonaws\\.com(?:\\.cn)?)?$`,
);
const REGION_REFUSAL_RE =
  /(?:not (?:supported|available|offered)|isn't (?:supported|available)|unsupported|not enabled) (?:in|for) (?:this|the (?:current|requested|selected|specified)|your) region/;

// Before the credential rules: LangChain wraps every client error in "Could not load credentials to authenticate with
// AWS client … Bedrock error: <the real error>", and the real error is the one to fix.
export const regionSetting: Rule = ({ phrases }) => {
  if (
    has(
      phrases,
      'you must specify a region',
      'noregionerror',
      'region is missing',
      'unable to load region',
      'region is required',
      'no regionendpoint or serviceurl configured',
    )
  ) {
    return hit('client_misconfigured', 'region_missing');
  }
  // The region setting holds something else: an ARN, a URL, a URL-encoded or padded string.
  if (
    has(
      phrases,
      'invalidregionerror',
      'region not accepted',
      'invalid region in client config',
      'invalid region configuration',
    ) ||
    (has(phrases, 'region_name') && has(phrases, "doesn't match a supported format"))
  ) {
    return hit('client_misconfigured', 'region_setting_invalid');
  }
  // A SigV4 scope error, not bad keys: the client signs for one region (or service) and calls another's endpoint.
  if (has(phrases, 'credential should be scoped to a valid region', 'credential should be scoped to correct service')) {
    return hit('client_misconfigured', 'signing_region');
  }
  return undefined;
};

/** CloudFormation (and CDK, which deploys through it) rejects resource types the region does not offer. */
export const deployResourceType: Rule = ({ phrases }) =>
  has(phrases, 'unrecognized resource types') && has(phrases, 'aws::bedrock')
    ? hit('region_unsupported', 'resource_type_not_in_region')
    : undefined;

export const regionOrEndpoint: Rule = ({ lower, phrases, facts, clues }) => {
  if (
    (has(phrases, ' region') && REGION_REFUSAL_RE.test(lower)) ||
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
  // TLS to the endpoint failed: something on the path (a corporate proxy) presents a certificate the client distrusts.
  if (
    has(
      phrases,
      'certificate verify failed',
      'ssl validation failed',
      'self signed certificate',
      'self-signed certificate',
      'unable to get local issuer certificate',
    )
  ) {
    return hit('client_misconfigured', 'tls_untrusted');
  }
  // A proxy between the client and AWS failed: the endpoint and the region are not the problem.
  if (
    has(phrases, 'proxyconnectionerror', 'failed to connect to proxy', 'tunneling socket could not be established') ||
    (clues.unreachableHost !== undefined && has(phrases, 'proxy'))
  ) {
    return hit('client_misconfigured', 'proxy_unreachable');
  }
  const host = clues.unreachableHost;
  if (host) {
    const m = BEDROCK_HOST_RE.exec(host);
    if (m?.[2] && !ESTABLISHED_BEDROCK_REGIONS.has(m[2])) return hit('region_unsupported', 'no_endpoint_in_region');
    if (m) return hit('client_misconfigured', 'endpoint_unreachable');
    return hit('client_misconfigured', host.includes('amazonaws') ? 'bad_endpoint' : 'endpoint_unreachable');
  }
  if (
    facts.exception === 'EndpointConnectionError' ||
    has(
      phrases,
      'unable to execute http request',
      'upstream connect error',
      // A name lookup that failed without saying for which host.
      'name or service not known',
      'temporary failure in name resolution',
      'nodename nor servname',
    )
  ) {
    return hit('client_misconfigured', 'endpoint_unreachable');
  }
  return undefined;
};

export const clientSetup: Rule = ({ lower, phrases, facts, clues }) => {
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
  // An SDK or CLI older than the service or command it is asked for; another tool's option list without Bedrock.
  if (has(phrases, 'unknown service', 'unknownserviceerror')) return hit('client_misconfigured', 'sdk_outdated');
  if (has(phrases, 'invalid choice')) {
    return hit('client_misconfigured', has(phrases, 'aws', 'bedrock-') ? 'sdk_outdated' : 'option_rejected');
  }
  if (has(phrases, 'cross-account pass role', 'cross account pass role', 'cross-account passrole')) {
    return hit('client_misconfigured', 'cross_account_pass_role');
  }
  if (facts.exception === 'InternalServerException' && op && isControlPlaneOperation(op)) {
    return hit('client_misconfigured', 'control_plane_internal_error');
  }
  return undefined;
};
