import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusQuery } from '../../src/access/status-report.js';
import { isUserFacingError } from '../../src/errors.js';
import { type AccessServices, createAccessServices } from '../../src/runtime/compose-access.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  MODELS,
  PROD,
  SANDBOX,
  type StandardWorld,
  testConfig,
  VETTED_FORM,
} from '../fakes/aws/standard-world.js';

let std: StandardWorld;
let fake: FakeAws;
let services: AccessServices;

function start(options: Parameters<typeof createStandardWorld>[0] = {}, callTimeoutMs?: number) {
  return async () => {
    std = createStandardWorld({ settleMs: 60_000, ...options });
    fake = await startFakeAws(std.world);
    services = createAccessServices(testConfig(std.accounts), {
      env: fakeEnv(fake, std.bot),
      maxAttempts: 1,
      callTimeoutMs,
    });
  };
}

async function stop() {
  services.close();
  await fake.close();
}

const check = (query: StatusQuery) => services.checkStatus(query);

describe('checkStatus against the fake AWS', () => {
  beforeEach(start());
  afterEach(stop);

  it('reports READY when the account has an agreement', async () => {
    std.world.setAgreement(SANDBOX, MODELS.cohere, 'AVAILABLE');
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.verdict).toBe('READY');
    expect(report.providerName).toBe('Cohere');
    expect(report.account).toEqual({ id: SANDBOX, alias: 'sandbox' });
    expect(report.callerArn).toBe(std.bot.arn);
    expect(report.regions).toEqual([
      expect.objectContaining({ region: 'us-east-1', verdict: 'READY', agreementStatus: 'AVAILABLE' }),
    ]);
    expect(report.degraded).toEqual([]);
  });

  it('reports NO_ACTIVATION_NEEDED for a first-party model without asking for offers', async () => {
    const report = await check({ modelRef: MODELS.nova, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NO_ACTIVATION_NEEDED');
    expect(report.explanation).toContain('not sold through AWS Marketplace');
    expect(std.world.callCount('ListFoundationModelAgreementOffers')).toBe(0);
  });

  it('reports NEEDS_ACTIVATION with the offer terms for a Marketplace model', async () => {
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NEEDS_ACTIVATION');
    expect(report.nextStep).toContain(`bedrock-doctor activate ${MODELS.cohere}`);
    expect(report.offer?.termsUrl).toMatch(/^https:\/\/aws\.amazon\.com\/legal\//);
    expect(report.offer?.pricing).toContain('input_tokens: 0.003 per 1K tokens');
  });

  it('reports NEEDS_USE_CASE_FORM for Anthropic when no form is on file', async () => {
    const report = await check({ modelRef: MODELS.haiku, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NEEDS_USE_CASE_FORM');
    expect(report.explanation).toContain('use-case form');
  });

  it('reports NEEDS_ACTIVATION for Anthropic once the form is on file', async () => {
    std.world.putUseCaseForm(SANDBOX, VETTED_FORM);
    const report = await check({ modelRef: MODELS.haiku, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NEEDS_ACTIVATION');
  });

  it('reports ACTIVATION_PENDING and says how long it takes', async () => {
    std.world.setAgreement(SANDBOX, MODELS.cohere, 'PENDING');
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.verdict).toBe('ACTIVATION_PENDING');
    expect(report.explanation).toContain('about 2 minutes and can take up to 15');
  });

  it("reports ACTIVATION_FAILED quoting AWS's errorMessage", async () => {
    std.world.setAgreement(SANDBOX, MODELS.cohere, 'ERROR', 'Payment instrument declined.');
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.verdict).toBe('ACTIVATION_FAILED');
    expect(report.explanation).toContain('"Payment instrument declined."');
    expect(report.regions[0]?.agreementError).toBe('Payment instrument declined.');
  });

  it('reports NOT_IN_REGION for a model offered elsewhere', async () => {
    const report = await check({ modelRef: MODELS.jamba, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NOT_IN_REGION');
    expect(report.title).toContain('us-east-1');
  });

  it('reports LEGACY from the model lifecycle', async () => {
    const report = await check({ modelRef: MODELS.claudeV2, regions: ['us-east-1'] });
    expect(report.verdict).toBe('LEGACY');
    expect(report.lifecycle).toBe('LEGACY');
  });

  it('reports NOT_FOUND with "did you mean" suggestions', async () => {
    const report = await check({ modelRef: 'anthropic.claude-3-haiku-20240307-v9:0', regions: ['us-east-1'] });
    expect(report.verdict).toBe('NOT_FOUND');
    expect(report.suggestions[0]).toBe(MODELS.haiku);
    expect(report.nextStep).toContain(`Did you mean ${MODELS.haiku}`);
  });

  it('reports an end-of-life model as NOT_FOUND', async () => {
    const report = await check({ modelRef: MODELS.instant, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NOT_FOUND');
  });

  it('tells to use the inference profile for a profile-only model called by its bare id', async () => {
    std.world.setAgreement(SANDBOX, MODELS.sonnet4, 'AVAILABLE');
    const report = await check({ modelRef: MODELS.sonnet4, regions: ['us-east-1'] });
    expect(report.verdict).toBe('READY');
    expect(report.profileOnly).toBe(true);
    expect(report.nextStep).toContain(`us.${MODELS.sonnet4}`);
  });

  it('resolves an inference-profile id to its model and flags a region the profile does not serve', async () => {
    std.world.setAgreement(SANDBOX, MODELS.sonnet4, 'AVAILABLE');
    const report = await check({ modelRef: `us.${MODELS.sonnet4}`, regions: ['us-east-1', 'eu-west-1'] });
    expect(report.baseModelId).toBe(MODELS.sonnet4);
    expect(report.regions.map((r) => [r.region, r.verdict])).toEqual([
      ['us-east-1', 'READY'],
      ['eu-west-1', 'NOT_IN_REGION'],
    ]);
    expect(report.verdict).toBe('NOT_IN_REGION');
  });

  it('accepts a foundation-model ARN and checks the region it names', async () => {
    std.world.setAgreement(SANDBOX, MODELS.cohere, 'AVAILABLE');
    const report = await check({ modelRef: `arn:aws:bedrock:us-west-2::foundation-model/${MODELS.cohere}` });
    expect(report.regions.map((r) => r.region)).toEqual(['us-west-2']);
    expect(report.verdict).toBe('READY');
  });

  it('resolves an application inference profile ARN through GetInferenceProfile', async () => {
    std.world.addInferenceProfile({
      id: 'a1b2c3d4e5f6',
      name: 'team-chat',
      type: 'APPLICATION',
      regions: ['us-east-1'],
      modelId: MODELS.cohere,
    });
    const report = await check({
      modelRef: `arn:aws:bedrock:us-east-1:${SANDBOX}:application-inference-profile/a1b2c3d4e5f6`,
    });
    expect(report).toMatchObject({ baseModelId: MODELS.cohere, verdict: 'NEEDS_ACTIVATION', providerName: 'Cohere' });
    expect(report.regions.map((r) => r.region)).toEqual(['us-east-1']);
  });

  it("reads another account through its read role, with the role's ExternalId", async () => {
    const report = await check({ modelRef: MODELS.cohere, account: 'prod', regions: ['us-east-1'] });
    expect(report.verdict).toBe('NEEDS_ACTIVATION');
    expect(report.account).toEqual({ id: PROD, alias: 'prod' });
    expect(report.callerArn).toBe(`arn:aws:sts::${PROD}:assumed-role/bedrock-doctor-read/bedrock-doctor-read`);
    expect(std.world.calls.find((c) => c.operation === 'AssumeRole')?.params).toMatchObject({
      RoleArn: std.roles.prodRead,
      ExternalId: 'doctor-ext-id',
    });
  });

  it('checks every region concurrently and makes the most actionable verdict the overall one', async () => {
    std.world.setAgreement(SANDBOX, MODELS.jamba, 'AVAILABLE');
    const report = await check({ modelRef: MODELS.jamba });
    expect(report.regions.map((r) => [r.region, r.verdict])).toEqual([
      ['us-east-1', 'NOT_IN_REGION'],
      ['us-west-2', 'READY'],
      ['eu-west-1', 'NOT_IN_REGION'],
    ]);
    expect(report.verdict).toBe('NOT_IN_REGION');
    expect(std.world.callCount('GetFoundationModelAvailability')).toBe(3);
  });

  it('rejects an unknown account, naming the known ones, before any AWS call', async () => {
    const err = await check({ modelRef: MODELS.cohere, account: 'staging' }).catch((e: unknown) => e);
    expect(isUserFacingError(err) && err.message).toBe(
      `I don't know an account "staging". Known accounts: sandbox (${SANDBOX}), prod (${PROD}).`,
    );
    expect(std.world.calls).toEqual([]);
  });

  it('rejects a malformed model id before any AWS call', async () => {
    const err = await check({ modelRef: 'Claude 3 Haiku please' }).catch((e: unknown) => e);
    expect(isUserFacingError(err) && err.message).toContain('"Claude 3 Haiku please" is not a Bedrock model id');
    expect(await check({ modelRef: `anthropic.${'x'.repeat(140)}` }).catch((e: Error) => e.message)).toContain(
      'at most 140 characters',
    );
    expect(std.world.calls).toEqual([]);
  });

  it("rejects a region outside the account's allowed list", async () => {
    const err = await check({ modelRef: MODELS.cohere, account: 'prod', regions: ['eu-west-1'] }).catch(
      (e: unknown) => e,
    );
    expect(isUserFacingError(err) && err.message).toBe(
      'Region eu-west-1 is not enabled for account prod. Its regions are: us-east-1, us-west-2.',
    );
    expect(std.world.calls).toEqual([]);
  });
});

describe('checkStatus when the bot lacks permissions or AWS misbehaves', () => {
  afterEach(stop);

  it('reports CHECK_FAILED naming the missing action', async () => {
    await start({ botPolicy: { allow: ['bedrock:GetFoundationModel', 'bedrock:ListFoundationModel*'] } })();
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.verdict).toBe('CHECK_FAILED');
    expect(report.missingPermissions).toContain('bedrock:GetFoundationModelAvailability');
    expect(report.explanation).toContain('missing bedrock:GetFoundationModelAvailability');
    expect(report.providerName).toBe('Cohere');
  });

  it('reports CHECK_FAILED naming sts:AssumeRole when the read role cannot be assumed', async () => {
    await start({ botPolicy: { allow: ['bedrock:*'] } })();
    const report = await check({ modelRef: MODELS.cohere, account: 'prod', regions: ['us-east-1'] });
    expect(report.verdict).toBe('CHECK_FAILED');
    expect(report.missingPermissions).toEqual(['sts:AssumeRole']);
  });

  it('reports CHECK_FAILED when the bot has no valid credentials', async () => {
    await start()();
    services.close();
    services = createAccessServices(testConfig(std.accounts), {
      env: { ...fake.env, AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE', AWS_SECRET_ACCESS_KEY: 'nope' },
      maxAttempts: 1,
    });
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.verdict).toBe('CHECK_FAILED');
    expect(report.explanation).toContain('The security token included in the request is invalid.');
  });

  it('degrades only the slow part: an offer call over budget still gives a verdict', async () => {
    await start({}, 300)();
    std.world.injectFault('ListFoundationModelAgreementOffers', { kind: 'latency', ms: 1_000 });
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NEEDS_ACTIVATION');
    expect(report.offer).toBeUndefined();
    expect(report.degraded).toEqual(['Marketplace offer in us-east-1: ListFoundationModelAgreementOffers timed out']);
  });

  it('aborts a call that ran over its budget: the request is closed, not left running', async () => {
    await start({}, 200)();
    std.world.injectFault('GetFoundationModel', { kind: 'hang', times: 1 });
    const report = await check({ modelRef: MODELS.cohere, regions: ['us-east-1'] });
    expect(report.degraded).toEqual(['Model details in us-east-1: GetFoundationModel timed out']);
    // The fake holds the request open until the client goes away; an abandoned SDK call would never go.
    await expect.poll(() => std.world.disconnects, { timeout: 2_000 }).toEqual(['GetFoundationModel']);
    // Aborted means stopped: the SDK does not retry it behind our back.
    expect(std.world.callCount('GetFoundationModel')).toBe(1);
  });

  it('degrades a throttled use-case read to NEEDS_ACTIVATION and says so', async () => {
    await start()();
    std.world.injectFault('GetUseCaseForModelAccess', { kind: 'throttle' });
    const report = await check({ modelRef: MODELS.haiku, regions: ['us-east-1'] });
    expect(report.verdict).toBe('NEEDS_ACTIVATION');
    expect(report.degraded).toEqual(['Use-case form in us-east-1: GetUseCaseForModelAccess was throttled by AWS']);
  });
});
