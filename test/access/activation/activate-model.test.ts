import { afterEach, describe, expect, it } from 'vitest';
import type { ActivateModelInput, ActivationProgress } from '../../../src/access/activation/activate-model.js';
import { ActivationError, type ActivationErrorReason } from '../../../src/access/activation/activation-errors.js';
import { sessionNameFor, sourceIdentityFor, tagValue } from '../../../src/access/activation/sts-names.js';
import { formatDuration } from '../../../src/access/activation/wait-until-settled.js';
import type { Config } from '../../../src/config.js';
import { type AccessServices, createAccessServices } from '../../../src/runtime/compose-access.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  MODELS,
  PALMYRA_ERROR,
  PROD,
  SANDBOX,
  type StandardWorld,
  type StandardWorldOptions,
  testConfig,
  VETTED_FORM,
} from '../../fakes/aws/standard-world.js';

let std: StandardWorld;
let fake: FakeAws;
let services: AccessServices;
const FORM_FILE = '/config/use-case-form.json';
/** How often the activator read the form file in this test. */
let formReads = 0;

async function start(
  options: StandardWorldOptions & {
    activation?: Partial<Config['activation']>;
    form?: string;
    maxAttempts?: number;
  } = {},
) {
  std = createStandardWorld({ settleMs: 30, ...options });
  fake = await startFakeAws(std.world);
  const files: Record<string, string> = { [FORM_FILE]: options.form ?? JSON.stringify(VETTED_FORM) };
  formReads = 0;
  services = createAccessServices(testConfig(std.accounts, { useCaseFormFile: FORM_FILE, ...options.activation }), {
    env: fakeEnv(fake, std.bot),
    maxAttempts: options.maxAttempts ?? 1,
    readFile: (path) => {
      formReads++;
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
  });
}

afterEach(async () => {
  services.close();
  await fake.close();
});

function request(overrides: Partial<ActivateModelInput> = {}): ActivateModelInput {
  return {
    requestId: 'req-0001',
    modelRef: MODELS.cohere,
    approver: 'U0APPROVER',
    requester: 'U0REQUESTER',
    ...overrides,
  };
}

async function activationError(p: Promise<unknown>): Promise<ActivationError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ActivationError)) throw new Error(`expected an ActivationError, got ${String(err)}`);
  return err;
}

const stepLine = (p: ActivationProgress) => `${p.step}:${p.status}`;
const writes = () =>
  ['PutUseCaseForModelAccess', 'CreateFoundationModelAgreement'].reduce((n, op) => n + std.world.callCount(op), 0);

describe('activateModel: the paths', () => {
  it('activates a Marketplace model: assume role, offers, agreement, wait until AVAILABLE twice', async () => {
    await start();
    const progress: ActivationProgress[] = [];
    const result = await services.activateModel(request({ onProgress: (p) => progress.push(p) }));

    expect(result).toMatchObject({
      outcome: 'ACTIVE',
      agreementCreated: true,
      agreementConflict: false,
      useCaseFormSubmitted: false,
      region: 'us-east-1',
      account: { id: SANDBOX, alias: 'sandbox' },
      sessionArn: `arn:aws:sts::${SANDBOX}:assumed-role/bedrock-doctor-activation/bd-req-0001`,
    });
    expect(result.offer?.termsUrl).toContain('aws.amazon.com/legal');
    expect(result.message).toContain(`${MODELS.cohere} is now activated in account sandbox`);
    expect(progress.map(stepLine)).toEqual([
      'assume_role:started',
      'assume_role:done',
      'read_availability:started',
      'read_availability:done',
      'use_case_form:skipped',
      'list_offers:started',
      'list_offers:done',
      'create_agreement:started',
      'create_agreement:done',
      'wait_until_available:started',
      'wait_until_available:done',
      'verify:skipped',
    ]);
    expect(std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    // Every write ran as the activation session, not as the bot.
    const create = std.world.calls.find((c) => c.operation === 'CreateFoundationModelAgreement');
    expect(create?.callerArn).toBe(result.sessionArn);
  });

  it('records the approver as SourceIdentity and tags the session with request, model, requester and approver', async () => {
    await start();
    await services.activateModel(request({ approver: 'Ann Approver <ann@example.com>', account: 'prod' }));
    expect(std.world.sessions()).toEqual([
      expect.objectContaining({
        name: 'bd-req-0001',
        sourceIdentity: 'Ann-Approver--ann@example.com-',
        tags: {
          'bedrock-doctor:request-id': 'req-0001',
          'bedrock-doctor:model': MODELS.cohere,
          'bedrock-doctor:requester': 'U0REQUESTER',
          'bedrock-doctor:approver': 'Ann Approver _ann@example.com_',
        },
      }),
    ]);
    expect(std.world.calls.find((c) => c.operation === 'AssumeRole')?.params).toMatchObject({
      ExternalId: 'doctor-ext-id',
      RoleArn: std.roles.prodActivation,
    });
    expect(std.world.agreement(PROD, MODELS.cohere)?.status).toBe('AVAILABLE');
    expect(std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();
  });

  it("submits the organisation's form for Anthropic when none is on file, then activates", async () => {
    await start();
    const result = await services.activateModel(request({ modelRef: MODELS.haiku }));
    expect(result).toMatchObject({ outcome: 'ACTIVE', useCaseFormSubmitted: true, agreementCreated: true });
    expect(JSON.parse(std.world.accounts.get(SANDBOX)?.useCaseForm?.toString('utf8') ?? '')).toEqual(VETTED_FORM);
    expect(result.steps.filter((s) => s.step === 'use_case_form').map(stepLine)).toEqual([
      'use_case_form:started',
      'use_case_form:done',
    ]);
  });

  it('leaves an Anthropic form already on file alone', async () => {
    await start();
    std.world.putUseCaseForm(SANDBOX, { ...VETTED_FORM, companyName: 'Org-wide form' });
    const result = await services.activateModel(request({ modelRef: MODELS.haiku }));
    expect(result).toMatchObject({ outcome: 'ACTIVE', useCaseFormSubmitted: false });
    expect(std.world.callCount('PutUseCaseForModelAccess')).toBe(0);
    expect(result.steps.find((s) => s.step === 'use_case_form' && s.status === 'skipped')?.detail).toBe(
      'a form is already on file for this account',
    );
  });

  it('continues when Create answers ConflictException because another agreement is in flight', async () => {
    await start();
    const result = await services.activateModel(
      request({
        onProgress: (p) => {
          // Someone else (a first invoke, a console user) starts the subscription between our read and our create.
          if (p.step === 'list_offers' && p.status === 'done')
            std.world.setAgreement(SANDBOX, MODELS.cohere, 'PENDING');
        },
      }),
    );
    expect(result).toMatchObject({ outcome: 'ACTIVE', agreementCreated: false, agreementConflict: true });
    expect(std.world.callCount('CreateFoundationModelAgreement', (c) => c.errorCode === 'ConflictException')).toBe(1);
  });

  it("ends FAILED with AWS's errorMessage when the agreement settles to ERROR", async () => {
    await start();
    const result = await services.activateModel(request({ modelRef: MODELS.palmyra }));
    expect(result).toMatchObject({ outcome: 'FAILED', agreementError: PALMYRA_ERROR });
    expect(result.message).toContain(PALMYRA_ERROR);
  });

  it('returns STILL_PENDING, not a failure, when the deadline passes', async () => {
    await start({ settleMs: 60_000, activation: { deadlineMs: 80, pollIntervalMs: 10 } });
    const result = await services.activateModel(request());
    expect(result.outcome).toBe('STILL_PENDING');
    expect(result.message).toContain('still PENDING after 80 ms');
    expect(result.message).toContain('it will finish on its own');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
  });

  it('says the state could not be read, not "still PENDING", when the polls fail until the deadline', async () => {
    await start({ settleMs: 60_000, activation: { deadlineMs: 80, pollIntervalMs: 10 } });
    const result = await services.activateModel(
      request({
        onProgress: (p) => {
          if (p.step === 'create_agreement' && p.status === 'done') {
            std.world.injectFault('GetFoundationModelAvailability', { kind: 'server-error' });
          }
        },
      }),
    );
    expect(result.outcome).toBe('STILL_PENDING');
    expect(result.message).toContain('its state could not be read at the deadline');
    expect(result.message).not.toContain('still PENDING');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
  });

  it('changes nothing for a model that is already activated', async () => {
    await start();
    std.world.setAgreement(SANDBOX, MODELS.cohere, 'AVAILABLE');
    const result = await services.activateModel(request());
    expect(result.outcome).toBe('ALREADY_ACTIVE');
    expect(writes()).toBe(0);
    expect(std.world.callCount('ListFoundationModelAgreementOffers')).toBe(0);
  });

  it('retries Create once with a fresh offer when the token expired in between', async () => {
    await start();
    const result = await services.activateModel(
      request({ onProgress: (p) => p.step === 'list_offers' && p.status === 'done' && std.world.offerTokens.clear() }),
    );
    expect(result.outcome).toBe('ACTIVE');
    expect(std.world.callCount('ListFoundationModelAgreementOffers')).toBe(2);
    expect(std.world.callCount('CreateFoundationModelAgreement', (c) => c.status === 202)).toBe(1);
  });

  it('proves access with a Converse call when verification is on, through the profile for profile-only models', async () => {
    await start({ activation: { verifyWithConverse: true } });
    std.world.putUseCaseForm(SANDBOX, VETTED_FORM);
    const result = await services.activateModel(request({ modelRef: MODELS.sonnet4 }));
    expect(result.verification).toEqual({ ok: true, detail: `Converse on us.${MODELS.sonnet4} succeeded` });
    expect(std.world.callCount('Converse')).toBe(2);
  });
});

describe('activateModel: idempotency and resumption', () => {
  it('makes exactly one CreateFoundationModelAgreement for two simultaneous activations', async () => {
    await start();
    const [a, b] = await Promise.all([
      services.activateModel(request({ requestId: 'req-a' })),
      services.activateModel(request({ requestId: 'req-b' })),
    ]);
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect([a.outcome, b.outcome]).toEqual(['ACTIVE', 'ACTIVE']);
    expect([a.joined, b.joined]).toEqual([false, true]);
  });

  it('converges after a run aborted right after the agreement call, with no second agreement', async () => {
    // Long enough that the re-run finds the agreement still PENDING, as after a real crash.
    await start({ settleMs: 250 });
    const abort = new AbortController();
    const first = services.activateModel(
      request({
        signal: abort.signal,
        onProgress: (p) =>
          p.step === 'create_agreement' && p.status === 'done' && abort.abort(new Error('worker died')),
      }),
    );
    await expect(first).rejects.toThrow('worker died');
    expect(std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('PENDING');

    const rerun = await services.activateModel(request());
    expect(rerun.outcome).toBe('ACTIVE');
    expect(rerun.steps.filter((s) => s.status === 'skipped').map((s) => s.step)).toEqual([
      'use_case_form',
      'list_offers',
      'create_agreement',
      'verify',
    ]);
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
  });
});

describe('activateModel: typed errors', () => {
  const expectReason = async (p: Promise<unknown>, reason: ActivationErrorReason, text: string) => {
    const err = await activationError(p);
    expect(err.reason).toBe(reason);
    expect(err.message).toContain(text);
    return err;
  };

  it('refuses a first-party model without calling AWS', async () => {
    await start();
    await expectReason(
      services.activateModel(request({ modelRef: MODELS.nova })),
      'FIRST_PARTY_MODEL',
      'needs no activation',
    );
    expect(std.world.calls).toEqual([]);
  });

  it('reports AssumeRole denied with what to check', async () => {
    await start();
    std.world.injectFault('AssumeRole', { kind: 'access-denied' });
    await expectReason(services.activateModel(request()), 'ASSUME_ROLE_DENIED', "Check the role's trust policy");
    expect(writes()).toBe(0);
  });

  it('reports an activation role without Marketplace rights, naming the action', async () => {
    await start({
      activationPolicy: {
        allow: ['bedrock:*'],
      },
    });
    const err = await expectReason(
      services.activateModel(request()),
      'MARKETPLACE_DENIED',
      'lacks AWS Marketplace rights',
    );
    expect(err.details.missingAction).toBe('aws-marketplace:ViewSubscriptions');
    expect(std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();
  });

  it('reports no offer in the region and does not try to create an agreement', async () => {
    await start();
    std.world.addModel({
      modelId: 'cohere.command-a-v1:0',
      modelName: 'Command A',
      providerName: 'Cohere',
      regions: ['us-east-1'],
      offerless: true,
    });
    await expectReason(
      services.activateModel(request({ modelRef: 'cohere.command-a-v1:0' })),
      'NO_OFFER',
      'has no offer',
    );
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
  });

  it('reports a model not offered in the region', async () => {
    await start();
    await expectReason(
      services.activateModel(request({ modelRef: MODELS.jamba })),
      'NOT_IN_REGION',
      'not offered in us-east-1',
    );
  });

  it('reports throttling that outlasts the SDK retries, and a later run resumes', async () => {
    await start({ maxAttempts: 2 });
    std.world.injectFault('CreateFoundationModelAgreement', { kind: 'throttle', times: 2 });
    await expectReason(services.activateModel(request()), 'THROTTLED', 'run the activation again in a minute');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(2);
    expect(std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();

    expect((await services.activateModel(request())).outcome).toBe('ACTIVE');
  });

  it('refuses an Anthropic activation when no form is on file and none is configured', async () => {
    await start({ activation: { useCaseFormFile: undefined } });
    await expectReason(
      services.activateModel(request({ modelRef: MODELS.haiku })),
      'USE_CASE_FORM_MISSING',
      'Set USE_CASE_FORM_FILE',
    );
    expect(writes()).toBe(0);
  });

  it('validates the configured form once it is needed, before any write call', async () => {
    await start({ form: JSON.stringify({ ...VETTED_FORM, useCases: 'x'.repeat(9000), intendedUsers: 'everyone' }) });
    const err = await expectReason(
      services.activateModel(request({ modelRef: MODELS.haiku })),
      'INVALID_USE_CASE_FORM',
      'is not a valid form',
    );
    expect(err.message).toContain('intendedUsers');
    expect(err.message).toContain('useCases');
    expect(writes()).toBe(0);
    expect(std.world.callCount('ListFoundationModelAgreementOffers')).toBe(0);
  });

  it('rejects a form that is not JSON', async () => {
    await start({ form: '{companyName: Example' });
    await expectReason(
      services.activateModel(request({ modelRef: MODELS.haiku })),
      'INVALID_USE_CASE_FORM',
      'not valid JSON',
    );
  });

  it('refuses when the account has no activation role', async () => {
    await start();
    std.accounts[0] = { ...std.accounts[0], alias: 'sandbox', regions: ['us-east-1'], activationRoleArn: undefined };
    services.close();
    services = createAccessServices(testConfig(std.accounts), { env: fakeEnv(fake, std.bot), maxAttempts: 1 });
    await expectReason(services.activateModel(request()), 'NO_ACTIVATION_ROLE', 'No activation role is registered');
  });

  it('rejects a malformed model reference before any AWS call', async () => {
    await start();
    await expect(services.activateModel(request({ modelRef: 'DROP TABLE' }))).rejects.toThrow(
      'is not a Bedrock model id',
    );
    expect(std.world.calls).toEqual([]);
  });
});

describe('STS name sanitising', () => {
  it('cuts a long session tag value by character, never inside a surrogate pair', async () => {
    await start();
    const requester = `a${'\u{1D49C}'.repeat(300)}`;
    const result = await services.activateModel(request({ requester }));
    expect(result.outcome).toBe('ACTIVE');
    const sent = std.world.sessions()[0]?.tags['bedrock-doctor:requester'] ?? '';
    expect(sent).toBe(`a${'\u{1D49C}'.repeat(127)}`);
    expect(sent.length).toBe(255);
  });

  it('keeps session tag values within the STS tag character set', () => {
    expect(tagValue('Ann <ann@example.com> #1')).toBe('Ann _ann@example.com_ _1');
  });

  it('says the deadline in units an approver reads', () => {
    expect([80, 45_000, 900_000].map(formatDuration)).toEqual(['80 ms', '45 seconds', '15 minutes']);
  });

  it("keeps RoleSessionName and SourceIdentity within STS's characters and 2-64 length", () => {
    expect(sessionNameFor('x'.repeat(100))).toHaveLength(64);
    expect(sessionNameFor('a b/c')).toBe('bd-a-b-c');
    expect(sourceIdentityFor('é')).toBe('--');
    expect(sourceIdentityFor(' U0123 ')).toBe('U0123');
    expect(sourceIdentityFor('x'.repeat(80))).toMatch(/^[\w+=,.@-]{64}$/);
  });
});

describe('activateModel: AWS edge cases (issue 9)', () => {
  const LEGACY_AI21 = 'ai21.j2-ultra-v1';
  const addLegacyAi21 = () =>
    std.world.addModel({
      modelId: LEGACY_AI21,
      modelName: 'Jurassic-2 Ultra',
      providerName: 'AI21 Labs',
      regions: ['us-east-1'],
      lifecycle: 'LEGACY',
    });

  it('stops and creates nothing when the model details cannot be read (GetFoundationModel throttled)', async () => {
    await start();
    addLegacyAi21();
    std.world.injectFault('GetFoundationModel', { kind: 'throttle' });
    const err = await activationError(services.activateModel(request({ modelRef: LEGACY_AI21 })));
    expect(err.message).toContain('could not confirm the model is active; try again');
    expect(writes()).toBe(0);
    expect(std.world.agreement(SANDBOX, LEGACY_AI21)).toBeUndefined();
  });

  it('refuses a Legacy model whose details say LEGACY, before any write', async () => {
    await start();
    addLegacyAi21();
    const err = await activationError(services.activateModel(request({ modelRef: LEGACY_AI21 })));
    expect(err.reason).toBe('LEGACY_MODEL');
    expect(err.message).toContain('Legacy');
    expect(writes()).toBe(0);
  });

  it('confirms the lifecycle as the activation session, alongside the availability read', async () => {
    await start();
    const result = await services.activateModel(request());
    expect(result.outcome).toBe('ACTIVE');
    const model = std.world.calls.filter((c) => c.operation === 'GetFoundationModel');
    expect(model.map((c) => c.callerArn)).toEqual([result.sessionArn]);
  });

  it('lists the offers again and creates once more when a ConflictException left no agreement behind', async () => {
    // The deadline is long: the old code polled NOT_AVAILABLE until it and then said "will finish on its own".
    await start({ activation: { deadlineMs: 60_000, pollIntervalMs: 5 } });
    std.world.injectFault('CreateFoundationModelAgreement', {
      kind: 'error',
      code: 'ConflictException',
      status: 400,
      message: 'An agreement for this model is being processed.',
      times: 1,
    });
    const started = Date.now();
    const result = await services.activateModel(request());
    expect(result).toMatchObject({ outcome: 'ACTIVE', agreementCreated: true, agreementConflict: true });
    expect(std.world.callCount('ListFoundationModelAgreementOffers')).toBe(2);
    expect(std.world.callCount('CreateFoundationModelAgreement', (c) => c.status === 202)).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('says plainly that AWS reports an agreement in flight that never appeared, after bounded re-creates', async () => {
    await start({ activation: { deadlineMs: 60_000, pollIntervalMs: 5 } });
    std.world.injectFault('CreateFoundationModelAgreement', {
      kind: 'error',
      code: 'ConflictException',
      status: 400,
      message: 'An agreement for this model is being processed.',
    });
    const result = await services.activateModel(request());
    expect(result.outcome).toBe('FAILED');
    expect(result.message).toContain('AWS reports an agreement');
    expect(result.message).toContain('never appeared');
    expect(result.message).not.toContain('finish on its own');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(3);
    expect(std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();
  });

  it('aborting an activation stops the AWS call in flight, not only the workflow', async () => {
    await start();
    std.world.injectFault('CreateFoundationModelAgreement', { kind: 'hang', times: 1 });
    const abort = new AbortController();
    const run = services.activateModel(
      request({
        signal: abort.signal,
        onProgress: (p) =>
          p.step === 'create_agreement' &&
          p.status === 'started' &&
          setTimeout(() => abort.abort(new Error('approver cancelled')), 50),
      }),
    );
    await expect(run).rejects.toThrow('approver cancelled');
    await expect.poll(() => std.world.disconnects, { timeout: 2_000 }).toEqual(['CreateFoundationModelAgreement']);
  });

  it('does not read a broken form file when AWS already has a form on file', async () => {
    await start({ form: '{companyName: Example' });
    std.world.putUseCaseForm(SANDBOX, VETTED_FORM);
    const result = await services.activateModel(request({ modelRef: MODELS.haiku }));
    expect(result).toMatchObject({ outcome: 'ACTIVE', useCaseFormSubmitted: false });
    expect(formReads).toBe(0);
  });

  it('does not read the form file for a model that needs no form', async () => {
    await start({ form: 'not json' });
    expect((await services.activateModel(request())).outcome).toBe('ACTIVE');
    expect(formReads).toBe(0);
  });
});
