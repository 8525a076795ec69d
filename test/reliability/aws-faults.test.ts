// AWS dependency faults of ../shared/reference/faults-and-bad-inputs.md that the activator's own tests do not pin
// down: how many times each call is made when AWS refuses it. The real SDK clients (3 attempts each, as configured
// by default) against the fake AWS; a refused call must not turn into a retry storm or a second agreement.
import { afterEach, describe, expect, it } from 'vitest';
import { ActivationError } from '../../src/access/activation/activation-errors.js';
import { type AccessServices, createAccessServices } from '../../src/runtime/compose-access.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  MODELS,
  SANDBOX,
  type StandardWorld,
  testConfig,
} from '../fakes/aws/standard-world.js';

let std: StandardWorld;
let fake: FakeAws;
let services: AccessServices;

async function start() {
  std = createStandardWorld({ settleMs: 30 });
  fake = await startFakeAws(std.world);
  services = createAccessServices(testConfig(std.accounts), { env: fakeEnv(fake, std.bot), maxAttempts: 3 });
}

afterEach(async () => {
  services.close();
  await fake.close();
});

const activate = () =>
  services.activateModel({
    requestId: 'req-rel-1',
    modelRef: MODELS.cohere,
    approver: 'U0APPROVER',
    requester: 'U0REQUESTER',
  });

async function refusal(p: Promise<unknown>): Promise<ActivationError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ActivationError)) throw new Error(`expected an ActivationError, got ${String(err)}`);
  return err;
}

describe('activation when AWS refuses a call', () => {
  it('asks STS once when AssumeRole is denied (no retry storm) and calls no Bedrock API', async () => {
    await start();
    std.world.injectFault('AssumeRole', { kind: 'access-denied' });

    const err = await refusal(activate());

    expect(err.reason).toBe('ASSUME_ROLE_DENIED');
    expect(err.message).toContain("Check the role's trust policy");
    expect(std.world.callCount('AssumeRole')).toBe(1);
    expect(std.world.calls.filter((c) => c.operation !== 'AssumeRole')).toEqual([]);
  });

  it('lets the SDK retry a throttled CreateFoundationModelAgreement and ends with exactly one agreement', async () => {
    await start();
    std.world.injectFault('CreateFoundationModelAgreement', { kind: 'throttle', times: 2 });

    const result = await activate();

    expect(result.outcome).toBe('ACTIVE');
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(3);
    expect(std.world.callCount('CreateFoundationModelAgreement', (c) => c.status === 202)).toBe(1);
    expect(std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
  });

  it('does not retry a ValidationException: lists the offers once more, creates once more, then stops', async () => {
    await start();
    std.world.injectFault('CreateFoundationModelAgreement', {
      kind: 'error',
      code: 'ValidationException',
      status: 400,
      message: 'The provided offer token is invalid or has expired.',
    });

    const err = await refusal(activate());

    expect(err.reason).toBe('VALIDATION');
    expect(err.message).toContain('AWS rejected CreateFoundationModelAgreement');
    // One call with the first offer, one with the re-listed offer; the SDK retried neither (3 attempts allowed).
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(2);
    expect(std.world.callCount('ListFoundationModelAgreementOffers')).toBe(2);
    expect(std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();
  });
});
