// Stands in for the SDK's default credential chain in the Lambda bundles (see trimForLambda in bundle-lambda.ts):
// Lambda puts the function role's keys in the environment, so the chain's other links (SSO, ini files, processes,
// web identity, instance metadata) and the STS/SSO clients they carry never run there.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
export const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
