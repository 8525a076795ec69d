// Rules about the client's identity: where its credentials come from (keys, SSO, profiles, instance and container
// roles, Bedrock API keys) and why they fail.
import type { PhraseIndex } from '../phrase-index.js';
import { type Classification, has, hit, type Rule } from './kit.js';

export const credentials: Rule = (input) => {
  const { phrases, facts } = input;
  const ex = facts.exception?.toLowerCase();
  // Bedrock API keys are bearer tokens: their expiry is a key to regenerate, not a session to refresh.
  if (has(phrases, 'bearer token', 'api key') && has(phrases, 'expired', 'invalid', 'authentication failed')) {
    return hit('credentials_invalid_or_expired', 'api_key_invalid');
  }
  if (has(phrases, 'security token included in the request is expired', 'expiredtoken', 'token has expired')) {
    return hit('credentials_invalid_or_expired', has(phrases, 'sso') ? 'sso_session_expired' : 'token_expired');
  }
  if (
    has(
      phrases,
      'sso session',
      'sso token',
      'ssotokenloaderror',
      'unauthorizedssotokenerror',
      'aws sso login',
      'sso oidc',
      '/sso/cache/',
    )
  ) {
    return hit('credentials_invalid_or_expired', 'sso_session_expired');
  }
  if (has(phrases, 'security token included in the request is invalid', 'unrecognizedclientexception')) {
    return hit('credentials_invalid_or_expired', 'token_invalid');
  }
  if (has(phrases, 'invalidclienttokenid', 'invalidaccesskeyid', 'access key id you provided does not exist')) {
    return hit('credentials_invalid_or_expired', 'token_invalid');
  }
  if (has(phrases, 'signature expired', 'signature not yet current')) {
    return hit('credentials_invalid_or_expired', 'clock_skew');
  }
  if (
    has(
      phrases,
      'invalidsignatureexception',
      'signaturedoesnotmatch',
      'signature we calculated does not match',
      'incompletesignature',
      // A request that reached AWS unsigned or half-signed (a bearer token sent where SigV4 was expected).
      'authorization header requires',
    )
  ) {
    return hit('credentials_invalid_or_expired', 'signature_mismatch');
  }
  return providerFailure(input) ?? missingCredentials(phrases, ex);
};

/** A credential provider that is configured but cannot deliver: an instance or container role, a named profile. */
const providerFailure: Rule = ({ lower, phrases }) => {
  if (
    has(
      phrases,
      'imds',
      'instance metadata',
      'ec2instancemetadata',
      'instanceprofilecredentialsprovider()',
      'container-role',
      'container metadata',
      'container credentials',
      'from iam-role',
      'credential refresh failed',
    ) &&
    has(phrases, 'credential')
  ) {
    return hit('credentials_invalid_or_expired', 'instance_role_unavailable');
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
      'failed to get shared config profile',
      'source profile',
      'profile file contained no credentials',
      'partialcredentialserror',
      'partial credentials found',
    )
  ) {
    return hit('credentials_invalid_or_expired', 'profile_failed');
  }
  return undefined;
};

function missingCredentials(phrases: PhraseIndex, ex: string | undefined): Classification | undefined {
  if (
    has(
      phrases,
      'unable to locate credentials',
      'could not load credentials',
      'unable to load credentials',
      'nocredentialserror',
      'credentialsprovidererror',
      'missing credentials in config',
      'missingcredentialserror',
      'without credentials',
      'no credentials',
    )
  ) {
    return hit('credentials_invalid_or_expired', 'not_found');
  }
  if (has(phrases, 'api key') && has(phrases, 'invalid', 'expired', 'authentication failed')) {
    return hit('credentials_invalid_or_expired', 'api_key_invalid');
  }
  if (has(phrases, 'bearer token') && has(phrases, 'invalid', 'expired')) {
    return hit('credentials_invalid_or_expired', 'api_key_invalid');
  }
  if (ex === 'missingauthenticationtoken' || has(phrases, 'missing authentication token')) {
    return hit('credentials_invalid_or_expired', 'not_found');
  }
  return undefined;
}
