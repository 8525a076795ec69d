import { describe, expect, it } from 'vitest';
import { ConfigError, findAccount, loadConfig } from '../src/config.js';

const account = { id: '123456789012', alias: 'prod', regions: ['us-east-1'] };

describe('loadConfig', () => {
  it('works with no configuration at all, with one default account in us-east-1', () => {
    const config = loadConfig({});
    expect(config.defaultRegion).toBe('us-east-1');
    expect(config.accounts).toEqual([{ alias: 'default', regions: ['us-east-1'], default: true }]);
    expect(config.store.dataDir).toBe('./data');
    expect(config.activation.deadlineMs).toBe(900_000);
  });

  it('takes the default region and region list from the environment', () => {
    const config = loadConfig({ AWS_REGION: 'eu-west-1', BEDROCK_DOCTOR_REGIONS: 'eu-west-1, eu-central-1' });
    expect(config.defaultRegion).toBe('eu-west-1');
    expect(config.accounts[0]?.regions).toEqual(['eu-west-1', 'eu-central-1']);
  });

  it('names every bad variable and what it should look like', () => {
    const err = captureError(() =>
      loadConfig({ PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxp-user', AWS_REGION: 'Virginia', ACTIVATION_VERIFY: 'maybe' }),
    );
    expect(err).toBeInstanceOf(ConfigError);
    const text = err.message;
    expect(text).toContain('PORT: expected a TCP port between 1 and 65535');
    expect(text).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(text).toContain('AWS_REGION: expected an AWS region such as us-east-1');
    expect(text).toContain('ACTIVATION_VERIFY: expected true or false');
    expect(text).not.toContain('xoxp-user');
  });

  it('reads AWS_MAX_ATTEMPTS as the SDK attempts per call, 3 by default, and rejects nonsense', () => {
    expect(loadConfig({}).aws.maxAttempts).toBe(3);
    expect(loadConfig({ AWS_MAX_ATTEMPTS: '1' }).aws.maxAttempts).toBe(1);
    for (const bad of ['0', 'many', '2.5', '11']) {
      expect(captureError(() => loadConfig({ AWS_MAX_ATTEMPTS: bad })).message).toContain(
        'AWS_MAX_ATTEMPTS: expected a whole number of attempts between 1 and 10',
      );
    }
  });

  it('reads MISSES_TTL_DAYS as the days a kept paste stays, 14 by default, and rejects nonsense', () => {
    expect(loadConfig({}).misses.ttlDays).toBe(14);
    expect(loadConfig({ MISSES_TTL_DAYS: '30' }).misses.ttlDays).toBe(30);
    for (const bad of ['0', 'two weeks', '1.5', '3651']) {
      expect(captureError(() => loadConfig({ MISSES_TTL_DAYS: bad })).message).toContain(
        'MISSES_TTL_DAYS: expected a whole number of days between 1 and 3650',
      );
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', PORT: '' }).slack).toMatchObject({ botToken: undefined, port: 3000 });
  });

  it('reads an account registry from JSON and finds accounts by id, alias or default', () => {
    const config = loadConfig({
      BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify([
        account,
        { ...account, id: '210987654321', alias: 'dev', default: true },
      ]),
    });
    expect(findAccount(config)?.alias).toBe('dev');
    expect(findAccount(config, 'prod')?.id).toBe('123456789012');
    expect(findAccount(config, '210987654321')?.alias).toBe('dev');
    expect(findAccount(config, 'nope')).toBeUndefined();
  });

  it('reads the registry from a file', () => {
    const config = loadConfig({ BEDROCK_DOCTOR_ACCOUNTS_FILE: '/etc/accounts.json' }, (path) => {
      expect(path).toBe('/etc/accounts.json');
      return JSON.stringify([account]);
    });
    expect(config.accounts).toEqual([account]);
  });

  it('rejects a registry with a bad account, naming the field', () => {
    const bad = [{ ...account, id: '1234', activationRoleArn: 'admin' }];
    const err = captureError(() => loadConfig({ BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(bad) }));
    expect(err.message).toContain('BEDROCK_DOCTOR_ACCOUNTS[0][id]: expected a 12-digit AWS account id');
    expect(err.message).toContain('BEDROCK_DOCTOR_ACCOUNTS[0][activationRoleArn]: expected an IAM role ARN');
  });

  it("accepts an ExternalId in STS's character set and rejects one AssumeRole would refuse", () => {
    const ok = loadConfig({ BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify([{ ...account, externalId: 'team:a/b_c=1' }]) });
    expect(ok.accounts[0]?.externalId).toBe('team:a/b_c=1');
    const inRegistry = captureError(() =>
      loadConfig({ BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify([{ ...account, externalId: 'has spaces' }]) }),
    );
    expect(inRegistry.message).toContain('BEDROCK_DOCTOR_ACCOUNTS[0][externalId]: expected an ExternalId of 2-1224');
    const inEnv = captureError(() => loadConfig({ ACTIVATION_EXTERNAL_ID: 'x' }));
    expect(inEnv.message).toContain('ACTIVATION_EXTERNAL_ID: expected an ExternalId of 2-1224');
  });

  it('rejects invalid JSON, duplicate aliases and an unreadable file', () => {
    expect(() => loadConfig({ BEDROCK_DOCTOR_ACCOUNTS: '[{' })).toThrow(/invalid JSON/);
    expect(() =>
      loadConfig({ BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify([account, { ...account, id: '210987654321' }]) }),
    ).toThrow(/aliases must be unique/);
    expect(() =>
      loadConfig({ BEDROCK_DOCTOR_ACCOUNTS_FILE: '/missing.json' }, () => {
        throw new Error('ENOENT');
      }),
    ).toThrow(/could not read \/missing.json/);
  });
});

describe('messages that say what was expected (issue 9)', () => {
  it('names a JSON array of accounts when the registry is an object, in plain words', () => {
    const err = captureError(() => loadConfig({ BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(account) }));
    expect(err.message).toContain(
      'BEDROCK_DOCTOR_ACCOUNTS: expected a JSON array of accounts (see README "Accounts"), got a JSON object',
    );
    expect(err.message).not.toMatch(/Invalid input|expected expected/);
  });

  it('says which field is missing, which has the wrong type, and which fields exist', () => {
    const err = captureError(() =>
      loadConfig({
        BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify([{ id: 123456789012, regions: 'us-east-1', colour: 'red' }]),
      }),
    );
    expect(err.message).toContain('BEDROCK_DOCTOR_ACCOUNTS[0][id]: expected a string, got a number');
    expect(err.message).toContain('BEDROCK_DOCTOR_ACCOUNTS[0][alias]: missing; expected a string');
    expect(err.message).toContain('BEDROCK_DOCTOR_ACCOUNTS[0][regions]: expected an array, got a string');
    expect(err.message).toContain('BEDROCK_DOCTOR_ACCOUNTS[0]: unknown field "colour"; expected only id, alias,');
    expect(err.message).not.toMatch(/Invalid input|Unrecognized key/);
  });

  it('asks for at least one account in an empty registry', () => {
    expect(captureError(() => loadConfig({ BEDROCK_DOCTOR_ACCOUNTS: '[]' })).message).toContain(
      'BEDROCK_DOCTOR_ACCOUNTS: expected at least one account',
    );
  });

  it('refuses a SLACK_API_URL that does not end in /api/', () => {
    for (const url of ['https://slack.com/api', 'https://slack.com/', 'https://proxy.example/slack/api/x']) {
      expect(captureError(() => loadConfig({ SLACK_API_URL: url })).message).toContain(
        'SLACK_API_URL: expected a URL ending in /api/, such as https://slack.com/api/',
      );
    }
    expect(loadConfig({ SLACK_API_URL: 'https://proxy.example/slack/api/' }).slack.apiUrl).toBe(
      'https://proxy.example/slack/api/',
    );
  });

  it('takes the bot ids together or not at all', () => {
    const both = loadConfig({ SLACK_BOT_ID: 'B0123456789', SLACK_BOT_USER_ID: 'U0123456789' });
    expect(both.slack).toMatchObject({ botId: 'B0123456789', botUserId: 'U0123456789' });
    expect(captureError(() => loadConfig({ SLACK_BOT_ID: 'B0123456789' })).message).toContain(
      'SLACK_BOT_ID and SLACK_BOT_USER_ID: expected both',
    );
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
