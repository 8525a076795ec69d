// The Slack bot token and signing secret for the Lambda handlers: from Secrets Manager when SLACK_SECRET_ARN is set
// (one JSON secret, read once per cold start), else from SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET in the env.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { envClientConfig } from './env-client-config.js';

type Env = Record<string, string | undefined>;

/** The secret's JSON: the same names as the env variables it stands in for. */
const slackSecretSchema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().min(1, 'the signing secret'),
  // Set together while a rotation is under way (README "Rotating the signing secret").
  SLACK_PREVIOUS_SIGNING_SECRET: z.string().min(1, 'the previous signing secret').optional(),
  SLACK_SIGNING_SECRET_ROTATED_AT: z.string().min(1, 'the time of the rotation').optional(),
});

export class SlackSecretError extends Error {
  override readonly name = 'SlackSecretError';
}

export interface SlackSecretsOptions {
  /** @default a Secrets Manager client configured from `env` */
  client?: SecretsManagerClient;
}

/**
 * Returns `env` with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET filled from the secret named by SLACK_SECRET_ARN, so
 * loadConfig validates them like any other setting. Without SLACK_SECRET_ARN, returns `env` unchanged.
 * Errors name the secret and the problem, never a value.
 */
export async function withSlackSecrets(env: Env, options: SlackSecretsOptions = {}): Promise<Env> {
  const arn = env.SLACK_SECRET_ARN;
  if (!arn) return env;
  const client = options.client ?? new SecretsManagerClient(envClientConfig(env, 'SECRETS_MANAGER'));
  try {
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    } catch (err) {
      const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new SlackSecretError(`Could not read SLACK_SECRET_ARN ${arn} (${why})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text ?? '');
    } catch {
      throw new SlackSecretError(
        `SLACK_SECRET_ARN ${arn}: expected a JSON secret {"SLACK_BOT_TOKEN": …, "SLACK_SIGNING_SECRET": …}`,
      );
    }
    const parsed = slackSecretSchema.safeParse(json);
    if (!parsed.success) {
      // Issue paths and messages only: zod's default text could quote the offending value.
      const problems = parsed.error.issues.map((i) => `${String(i.path[0] ?? 'secret')}: expected ${i.message}`);
      throw new SlackSecretError(`SLACK_SECRET_ARN ${arn}: ${problems.join('; ')}`);
    }
    return { ...env, ...parsed.data };
  } finally {
    if (!options.client) client.destroy();
  }
}
