import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackSecretError, withSlackSecrets } from '../../src/aws/slack-secrets.js';
import { loadConfig } from '../../src/config.js';
import { type FakeSecret, secretsManagerOf } from '../fakes/aws/secrets-manager.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { FakeAwsWorld } from '../fakes/aws/world.js';

const SECRET = { SLACK_BOT_TOKEN: 'xoxb-123-456-abcdef', SLACK_SIGNING_SECRET: 'signing-secret-value' };

let world: FakeAwsWorld;
let fake: FakeAws;
let secret: FakeSecret;
let env: Record<string, string>;

beforeEach(async () => {
  world = new FakeAwsWorld();
  world.addAccount('111122223333');
  fake = await startFakeAws(world);
  secret = secretsManagerOf(world).putSecret('111122223333', 'bedrock-doctor/slack', JSON.stringify(SECRET));
  const fn = world.addUser('111122223333', 'slack-fn', { allow: ['secretsmanager:GetSecretValue'] });
  env = {
    ...fake.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: fn.accessKeyId,
    AWS_SECRET_ACCESS_KEY: fn.secretAccessKey,
    AWS_MAX_ATTEMPTS: '1',
    SLACK_SECRET_ARN: secret.arn,
  };
});

afterEach(() => fake.close());

describe('Slack secrets', () => {
  it('reads the bot token and signing secret from the JSON secret named by SLACK_SECRET_ARN', async () => {
    const resolved = await withSlackSecrets(env);

    const config = loadConfig(resolved);
    expect(config.slack.botToken).toBe(SECRET.SLACK_BOT_TOKEN);
    expect(config.slack.signingSecret).toBe(SECRET.SLACK_SIGNING_SECRET);
    expect(world.calls.map((c) => [c.operation, c.params.SecretId])).toEqual([['GetSecretValue', secret.arn]]);
  });

  it('takes the env values, with no AWS call, when SLACK_SECRET_ARN is unset', async () => {
    const { SLACK_SECRET_ARN: _unset, ...rest } = env;
    const plain = { ...rest, SLACK_BOT_TOKEN: 'xoxb-env', SLACK_SIGNING_SECRET: 'env-secret' };

    expect(await withSlackSecrets(plain)).toBe(plain);
    expect(world.calls).toEqual([]);
  });

  it('names the problem but never echoes a value from a malformed secret', async () => {
    secret.secretString = JSON.stringify({ SLACK_BOT_TOKEN: 'xoxp-user-token-leak', SLACK_SIGNING_SECRET: '' });

    const err = await withSlackSecrets(env).catch((e: unknown) => e as Error);

    expect(err).toBeInstanceOf(SlackSecretError);
    expect(err.message).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(err.message).toContain('SLACK_SIGNING_SECRET: expected the signing secret');
    expect(err.message).not.toContain('xoxp-user-token-leak');
  });

  it('explains a secret that is not JSON, a missing secret and a denied read', async () => {
    secret.secretString = 'xoxb-plain-text';
    await expect(withSlackSecrets(env)).rejects.toThrow(/expected a JSON secret/);

    await expect(withSlackSecrets({ ...env, SLACK_SECRET_ARN: `${secret.arn}x` })).rejects.toThrow(
      /ResourceNotFoundException/,
    );

    const other = world.addUser('111122223333', 'no-secrets', { allow: ['sqs:SendMessage'] });
    await expect(
      withSlackSecrets({ ...env, AWS_ACCESS_KEY_ID: other.accessKeyId, AWS_SECRET_ACCESS_KEY: other.secretAccessKey }),
    ).rejects.toThrow(/AccessDeniedException.*secretsmanager:GetSecretValue/);
  });
});
