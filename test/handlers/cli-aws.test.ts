import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../handlers/cli/io.js';
import { main } from '../../handlers/cli.js';
import { startEmbeddedDynamoDb } from '../../src/store/embedded-dynamodb.js';
import { createTableIfMissing, tableName } from '../../src/store/table-design.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  MODELS,
  PROD,
  SANDBOX,
  type StandardWorld,
  VETTED_FORM,
} from '../fakes/aws/standard-world.js';

let std: StandardWorld;
let fake: FakeAws;
let env: Record<string, string>;

beforeEach(async () => {
  std = createStandardWorld({ settleMs: 30 });
  fake = await startFakeAws(std.world);
  const dir = mkdtempSync(join(tmpdir(), 'bd-cli-'));
  writeFileSync(join(dir, 'form.json'), JSON.stringify(VETTED_FORM));
  env = {
    ...fakeEnv(fake, std.bot),
    BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(std.accounts),
    ACTIVATION_POLL_INTERVAL_MS: '50',
    USE_CASE_FORM_FILE: join(dir, 'form.json'),
    // activate takes its lease in the embedded state store under this folder
    DATA_DIR: dir,
    AWS_MAX_ATTEMPTS: '1',
    USER: 'alice',
  };
});

afterEach(() => fake.close());

async function run(argv: string[], input = '') {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  const stdin = new PassThrough();
  stdin.end(input);
  const io: CliIo = {
    stdin,
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
    env,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('bedrock-doctor status', () => {
  it('prints the verdict, the next step and one row per region, exiting 1 when action is needed', async () => {
    const { code, out, err } = await run(['status', MODELS.cohere, '--region', 'us-east-1,us-west-2']);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out).toContain(`NEEDS_ACTIVATION: ${MODELS.cohere} is not activated in sandbox`);
    expect(out).toContain(`Next step:  Request activation`);
    expect(out).toMatch(/us-east-1\s+NEEDS_ACTIVATION\s+no agreement yet/);
    expect(out).toMatch(/us-west-2\s+NEEDS_ACTIVATION\s+no agreement yet/);
    expect(out).toContain('Terms:      https://aws.amazon.com/legal/');
  });

  it('exits 0 for a ready model and prints JSON with --json', async () => {
    std.world.setAgreement(SANDBOX, MODELS.cohere, 'AVAILABLE');
    const { code, out } = await run(['status', MODELS.cohere, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ verdict: 'READY', baseModelId: MODELS.cohere, account: { alias: 'sandbox' } });
    expect(report.regions).toHaveLength(3);
  });

  it('works with zero registry config: the default account is learnt from the credentials', async () => {
    delete env.BEDROCK_DOCTOR_ACCOUNTS;
    const { code, out } = await run(['status', MODELS.nova, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      verdict: 'NO_ACTIVATION_NEEDED',
      account: { id: SANDBOX, alias: 'default' },
      regions: [{ region: 'us-east-1' }],
    });
    const other = await run(['status', MODELS.nova, '--region', 'eu-west-1']);
    expect(other.err).toContain('Set BEDROCK_DOCTOR_REGIONS (or register the account) to allow more.');
  });

  it('explains a bad account politely with exit code 2', async () => {
    const { code, err } = await run(['status', MODELS.cohere, '--account', 'nope']);
    expect(code).toBe(2);
    expect(err).toBe(`I don't know an account "nope". Known accounts: sandbox (${SANDBOX}), prod (444455556666).\n`);
  });

  it('retries a throttled call as often as AWS_MAX_ATTEMPTS allows', async () => {
    std.world.injectFault('GetFoundationModelAvailability', { kind: 'throttle', times: 1 });
    const once = await run(['status', MODELS.cohere, '--region', 'us-east-1', '--json']);
    expect(JSON.parse(once.out).verdict).toBe('CHECK_FAILED');

    std.world.injectFault('GetFoundationModelAvailability', { kind: 'throttle', times: 1 });
    env.AWS_MAX_ATTEMPTS = '2';
    const twice = await run(['status', MODELS.cohere, '--region', 'us-east-1', '--json']);
    expect(JSON.parse(twice.out).verdict).toBe('NEEDS_ACTIVATION');
    expect(std.world.callCount('GetFoundationModelAvailability', (c) => c.status === 429)).toBe(2);
  });

  it('refuses an invalid AWS_MAX_ATTEMPTS before any AWS call, with exit code 2', async () => {
    env.AWS_MAX_ATTEMPTS = 'lots';
    const { code, err } = await run(['status', MODELS.cohere]);
    expect(code).toBe(2);
    expect(err).toContain('AWS_MAX_ATTEMPTS: expected a whole number of attempts between 1 and 10');
    expect(std.world.calls).toHaveLength(0);
  });

  it('prints usage when the model is missing', async () => {
    const { code, err } = await run(['status']);
    expect(code).toBe(2);
    expect(err).toContain('Usage: bedrock-doctor status');
  });
});

describe('bedrock-doctor status and activate on an ARN naming an account or a region (issue 9)', () => {
  const profileArn = (account: string, region: string) =>
    `arn:aws:bedrock:${region}:${account}:inference-profile/us.${MODELS.haiku}`;

  it('checks the registered account the ARN names, through its read role', async () => {
    const { code, out, err } = await run(['status', profileArn(PROD, 'us-west-2'), '--json']);
    expect(err).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.account).toEqual({ id: PROD, alias: 'prod' });
    expect(report.regions.map((r: { region: string }) => r.region)).toEqual(['us-west-2']);
    expect(std.world.callCount('AssumeRole', (c) => c.region === 'us-west-2')).toBeGreaterThan(0);
    expect(std.world.calls.filter((c) => c.operation !== 'AssumeRole').every((c) => c.region === 'us-west-2')).toBe(
      true,
    );
  });

  it('refuses an unregistered account with exit 1 and makes no AWS call (status and activate)', async () => {
    for (const command of ['status', 'activate']) {
      const { code, out, err } = await run(
        [command, profileArn('999988887777', 'us-east-1'), '--yes'].slice(0, command === 'status' ? 2 : 3),
      );
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toContain('account 999988887777 is not managed by this bot');
      expect(err).toContain(`Managed accounts: sandbox (${SANDBOX}), prod (${PROD}).`);
    }
    expect(std.world.calls).toHaveLength(0);
  });

  it('says so when the ARN names a region outside the account, instead of checking another region', async () => {
    const { code, err } = await run(['status', profileArn(PROD, 'eu-west-1')]);
    expect(code).toBe(1);
    expect(err).toContain('The model ARN names region eu-west-1, which is not enabled for account prod.');
    expect(std.world.calls).toHaveLength(0);

    delete env.BEDROCK_DOCTOR_ACCOUNTS;
    const foundationArn = `arn:aws:bedrock:eu-west-1::foundation-model/${MODELS.cohere}`;
    const bare = await run(['status', foundationArn]);
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('names region eu-west-1, which is not enabled for account default');
    expect(std.world.calls).toHaveLength(0);
  });

  it('answers a conflict between the ARN and --account/--region with a usage error naming both', async () => {
    const account = await run(['status', profileArn(PROD, 'us-east-1'), '--account', 'sandbox']);
    expect(account.code).toBe(2);
    expect(account.err).toContain(`names account ${PROD}, but --account sandbox is sandbox (${SANDBOX})`);
    const region = await run(['activate', profileArn(SANDBOX, 'eu-west-1'), '--region', 'us-east-1', '--yes']);
    expect(region.code).toBe(2);
    expect(region.err).toContain('names region eu-west-1, but the region asked for is us-east-1');
    expect(std.world.calls).toHaveLength(0);
  });

  it("with no registry, checks an ARN of the credentials' own account and refuses any other before Bedrock", async () => {
    delete env.BEDROCK_DOCTOR_ACCOUNTS;
    const own = await run(['status', profileArn(SANDBOX, 'us-east-1'), '--json']);
    expect(JSON.parse(own.out).account).toEqual({ id: SANDBOX, alias: 'default' });

    std.world.resetCalls();
    const other = await run(['status', profileArn(PROD, 'us-east-1')]);
    expect(other.code).toBe(1);
    expect(other.err).toContain(`account ${PROD} is not managed by this bot`);
    expect(std.world.calls.map((c) => c.operation)).toEqual(['GetCallerIdentity']);
  });
});

describe('bedrock-doctor activate', () => {
  it('shows the terms, asks, and activates on "y" with progress lines', async () => {
    const { code, out } = await run(['activate', MODELS.haiku], 'y\n');
    expect(code).toBe(0);
    expect(out).toContain('Offer terms (EULA): https://aws.amazon.com/legal/');
    expect(out).toContain('Continue? [y/N]');
    expect(out).toContain('  ✓ use case form (done): form submitted');
    expect(out).toContain('  ✓ create agreement (done): agreement requested');
    expect(out).toContain(`ACTIVE: ${MODELS.haiku} is now activated in account sandbox`);
    expect(std.world.sessions()[0]?.sourceIdentity).toBe('alice');
  });

  it('changes nothing when the answer is not yes', async () => {
    const { code, out } = await run(['activate', MODELS.cohere], 'n\n');
    expect(code).toBe(1);
    expect(out).toContain('Cancelled; nothing was changed.');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
    expect(std.world.callCount('AssumeRole')).toBe(0);
  });

  it('skips the question with --yes', async () => {
    const { code, out } = await run(['activate', MODELS.cohere, '--yes']);
    expect(code).toBe(0);
    expect(out).not.toContain('[y/N]');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
  });

  it('says there is nothing to do for a first-party model', async () => {
    const { code, out } = await run(['activate', MODELS.nova, '--yes']);
    expect(code).toBe(0);
    expect(out).toContain(`${MODELS.nova} needs no activation. Nothing to do.`);
    expect(std.world.callCount('AssumeRole')).toBe(0);
  });

  it('activates with ACTIVATION_ROLE_ARN when there is no registry', async () => {
    delete env.BEDROCK_DOCTOR_ACCOUNTS;
    env.ACTIVATION_ROLE_ARN = std.roles.sandboxActivation;
    const { code } = await run(['activate', MODELS.cohere, '--yes']);
    expect(code).toBe(0);
    expect(std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
  });

  it('reports a typed activation error on stderr with exit code 1', async () => {
    std.world.injectFault('AssumeRole', { kind: 'access-denied' });
    const { code, err } = await run(['activate', MODELS.cohere, '--yes']);
    expect(code).toBe(1);
    expect(err).toContain('The bot may not assume the activation role');
  });

  it('exits 1, not the usage code 2, when AWS refuses a step with a ValidationException', async () => {
    std.world.injectFault('CreateFoundationModelAgreement', {
      kind: 'error',
      code: 'ValidationException',
      status: 400,
      message: 'The provided offer token is invalid or has expired.',
    });
    const { code, err } = await run(['activate', MODELS.cohere, '--yes']);
    expect(code).toBe(1);
    expect(err).toContain('AWS rejected CreateFoundationModelAgreement: The provided offer token is invalid');
  });

  it('keeps exit code 2 for input the bot refuses before any AWS call', async () => {
    const bad = await run(['activate', 'not a model', '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not a Bedrock model id');
    expect(std.world.calls).toHaveLength(0);
    const unknownOption = await run(['activate', MODELS.cohere, '--colour']);
    expect(unknownOption.code).toBe(2);
    expect(std.world.calls).toHaveLength(0);
  });

  it('does not activate a Legacy model whose details could not be read (issue 9)', async () => {
    std.world.addModel({
      modelId: 'ai21.j2-ultra-v1',
      modelName: 'Jurassic-2 Ultra',
      providerName: 'AI21 Labs',
      regions: ['us-east-1'],
      lifecycle: 'LEGACY',
    });
    std.world.injectFault('GetFoundationModel', { kind: 'throttle' });
    const { code, out, err } = await run(['activate', 'ai21.j2-ultra-v1', '--yes']);
    expect(code).toBe(1);
    expect(err).toContain('could not confirm the model is active; try again');
    expect(out).not.toContain('ACTIVE:');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
  });

  it('waits for an activation of the same model running in another process and reports its result', async () => {
    // The other process: the same state store (an external DynamoDB here, as two processes share one) and AWS.
    const store = await startEmbeddedDynamoDb();
    const endpoint = { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, DYNAMODB_TABLE_PREFIX: 'cli-' };
    const client = new DynamoDB({
      region: 'us-east-1',
      endpoint: store.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      await createTableIfMissing(client, tableName('cli-'));
      Object.assign(env, endpoint);
      // The store's SDK client takes its keys from the process environment, as `bedrock-doctor` itself runs.
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
      const [one, two] = await Promise.all([
        run(['activate', MODELS.haiku, '--yes']),
        run(['activate', MODELS.haiku, '--yes']),
      ]);
      expect([one.code, two.code]).toEqual([0, 0]);
      expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
      expect(std.world.callCount('PutUseCaseForModelAccess')).toBe(1);
    } finally {
      vi.unstubAllEnvs();
      client.destroy();
      await store.close();
    }
  });
});
