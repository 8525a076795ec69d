// SDK client settings read from an injected env, for the clients the Lambda handlers build themselves (SQS, Secrets
// Manager, DynamoDB): region, the AWS_ENDPOINT_URL_<SERVICE> override and static keys when the env holds them.
// Lambda always puts the function role's keys in the env, so the SDK's provider chain (files, SSO, IMDS) never runs.

export interface EnvClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

/** `service` is the SDK's env suffix: `SQS`, `SECRETS_MANAGER`, `DYNAMODB`. */
export function envClientConfig(env: Record<string, string | undefined>, service: string): EnvClientConfig {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const maxAttempts = Number(env.AWS_MAX_ATTEMPTS);
  return {
    region,
    ...(Number.isInteger(maxAttempts) && maxAttempts >= 1 ? { maxAttempts } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined } }
      : {}),
  };
}
