// The deploy contract: the code's AWS calls, run with the IAM of the synthesized templates (trust policies with
// their ExternalId, SourceIdentity and organisation conditions included). Every call the code makes must be
// granted, and every grant must be called by something here (AWS's own uses on a function's behalf excepted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivateModelInput } from '../../src/access/activate-model.js';
import { ActivationError } from '../../src/access/activation-errors.js';
import type { AccountConfig } from '../../src/config.js';
import { type AccessServices, createAccessServices } from '../../src/runtime/compose-access.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { MODELS, testConfig, VETTED_FORM } from '../fakes/aws/standard-world.js';
import {
  BOT_ACCOUNT,
  buildDeployedWorld,
  type DeployedWorld,
  ORG_EXTERNAL_ID,
  ORG_ID,
  onBehalfOrOptIn,
} from '../support/deploy/deployed-world.js';

const MEMBER = '111122223333';
/** Deployed with a per-account ExternalId (a StackSet parameter override). */
const OVERRIDDEN = '444455556666';
/** Has the member stack but left the organisation: the worker's org condition must keep it out. */
const OUTSIDER = '777788889999';
const FORM_FILE = '/opt/use-case-form.json';

let dw: DeployedWorld;
let fake: FakeAws;
const open: AccessServices[] = [];

beforeAll(async () => {
  dw = buildDeployedWorld({
    members: [{ id: MEMBER }, { id: OVERRIDDEN, externalId: 'per-account-id' }, { id: OUTSIDER, orgId: null }],
    stateless: { organizationId: ORG_ID },
    world: { settleMs: 10 },
  });
  fake = await startFakeAws(dw.world);
}, 120_000);

afterAll(async () => {
  for (const s of open) s.close();
  await fake?.close();
});

/** The access services as a function composes them, with that function's role session as its only credentials. */
function servicesAs(fn: 'worker' | 'reconciler' | 'slack', accounts: AccountConfig[] = dw.accounts): AccessServices {
  const keys = dw.sessionFor(fn);
  const env = {
    ...fake.env,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_SESSION_TOKEN: keys.sessionToken,
    AWS_REGION: 'us-east-1',
  };
  const services = createAccessServices(testConfig(accounts, { useCaseFormFile: FORM_FILE }), {
    env,
    maxAttempts: 1,
    readFile: () => JSON.stringify(VETTED_FORM),
  });
  open.push(services);
  return services;
}

const activation = (overrides: Partial<ActivateModelInput>): ActivateModelInput => ({
  requestId: 'req-contract-1',
  modelRef: MODELS.cohere,
  approver: 'U0APPROVER',
  requester: 'U0REQUESTER',
  ...overrides,
});

describe('deploy contract: the code against the templates', () => {
  it('status in a member account reads through its read role, every part answered', async () => {
    const worker = servicesAs('worker');
    const report = await worker.checkStatus({ modelRef: MODELS.haiku, account: MEMBER, regions: ['us-east-1'] });
    expect(report.callerArn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/bedrock-doctor-read/bedrock-doctor-read`);
    expect(report.missingPermissions).toEqual([]);
    expect(report.degraded).toEqual([]);
    expect(report.verdict).toBe('NEEDS_USE_CASE_FORM');
  });

  it('status through an inference profile, and a model that does not exist (suggestions), in the bot account', async () => {
    const worker = servicesAs('worker');
    const profile = await worker.checkStatus({ modelRef: `us.${MODELS.sonnet4}`, account: BOT_ACCOUNT });
    expect(profile.callerArn).toBe(`arn:aws:sts::${BOT_ACCOUNT}:assumed-role/bedrock-doctor-read/bedrock-doctor-read`);
    expect(profile.degraded).toEqual([]);
    const missing = await worker.checkStatus({
      modelRef: 'anthropic.claude-3-haikoo-20240307-v1:0',
      account: BOT_ACCOUNT,
    });
    expect(missing.verdict).toBe('NOT_FOUND');
    expect(missing.suggestions).toContain(MODELS.haiku);
  });

  it('activates a Marketplace model in a member account: an agreement made by the approver-tagged session', async () => {
    const result = await servicesAs('worker').activateModel(activation({ account: MEMBER }));
    expect(result.outcome).toBe('ACTIVE');
    expect(dw.world.agreement(MEMBER, MODELS.cohere)).toMatchObject({
      status: 'AVAILABLE',
      createdBy: `arn:aws:sts::${MEMBER}:assumed-role/bedrock-doctor-activation/bd-req-contract-1`,
    });
    const session = dw.world.sessions().find((s) => s.arn.includes(`${MEMBER}:assumed-role/bedrock-doctor-activation`));
    expect(session?.sourceIdentity).toBe('U0APPROVER');
  });

  it('activates an Anthropic model with the use-case form, with a per-account ExternalId', async () => {
    const result = await servicesAs('worker').activateModel(
      activation({ requestId: 'req-contract-2', modelRef: MODELS.haiku, account: OVERRIDDEN }),
    );
    expect(result.outcome).toBe('ACTIVE');
    expect(JSON.parse(dw.world.accounts.get(OVERRIDDEN)?.useCaseForm?.toString() ?? '{}')).toEqual(VETTED_FORM);
    expect(dw.world.agreement(OVERRIDDEN, MODELS.haiku)?.status).toBe('AVAILABLE');
  });

  it('activates in the bot account itself like in any other (its own member stack)', async () => {
    const result = await servicesAs('worker').activateModel(
      activation({ requestId: 'req-contract-3', modelRef: MODELS.jamba, account: BOT_ACCOUNT, region: 'us-west-2' }),
    );
    expect(result.outcome).toBe('ACTIVE');
    expect(dw.world.agreement(BOT_ACCOUNT, MODELS.jamba)?.status).toBe('AVAILABLE');
  });

  it('refuses what the templates do not grant: the wrong ExternalId, an account outside the organisation', async () => {
    const wrongId = dw.accounts.map((a) => (a.id === MEMBER ? { ...a, externalId: ORG_EXTERNAL_ID.toUpperCase() } : a));
    const denied = await servicesAs('worker', wrongId).checkStatus({ modelRef: MODELS.cohere, account: MEMBER });
    expect(denied.verdict).toBe('CHECK_FAILED');
    const outsider: AccountConfig = {
      id: OUTSIDER,
      alias: 'outsider',
      regions: ['us-east-1'],
      readRoleArn: `arn:aws:iam::${OUTSIDER}:role/bedrock-doctor-read`,
      activationRoleArn: `arn:aws:iam::${OUTSIDER}:role/bedrock-doctor-activation`,
      externalId: ORG_EXTERNAL_ID,
    };
    const err = await servicesAs('worker', [...dw.accounts, outsider])
      .activateModel(activation({ requestId: 'req-contract-4', account: OUTSIDER }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ActivationError);
    expect((err as ActivationError).reason).toBe('ASSUME_ROLE_DENIED');
    expect(dw.world.agreement(OUTSIDER, MODELS.cohere)).toBeUndefined();
  });

  it('the reconciler and the Slack function may assume no member role', async () => {
    for (const fn of ['reconciler', 'slack'] as const) {
      const report = await servicesAs(fn).checkStatus({ modelRef: MODELS.cohere, account: MEMBER });
      expect(report.verdict).toBe('CHECK_FAILED');
    }
  });

  it('every Bedrock, Marketplace and STS grant of the templates was used by the runs above', () => {
    // DynamoDB, SQS and Secrets Manager grants are checked where the Lambda handlers run (the dynalite store
    // evaluates no IAM).
    const exercised = (action: string) => /^(bedrock|aws-marketplace|sts):/.test(action);
    expect(dw.unusedGrants((a) => onBehalfOrOptIn(a) || !exercised(a))).toEqual([]);
  });
});
