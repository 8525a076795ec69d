// Two activations of one model from separate processes (two CLI runs, the CLI and the bot) must make one
// agreement and submit the Anthropic form once. Two activators with their own AWS clients and their own store
// clients stand for two processes; they share only the fake AWS and one dynalite store, as processes would.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivateModelInput, ActivationProgress } from '../../../src/access/activation/activate-model.js';
import type { ActivationLease } from '../../../src/access/activation/activation-lease.js';
import { type AccessServices, createAccessServices } from '../../../src/runtime/compose-access.js';
import { createDynamoActivationLease } from '../../../src/store/dynamo-activation-lease.js';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../../src/store/embedded-dynamodb.js';
import { createTableIfMissing, tableName } from '../../../src/store/table-design.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  MODELS,
  SANDBOX,
  type StandardWorld,
  testConfig,
  VETTED_FORM,
} from '../../fakes/aws/standard-world.js';
import { waitFor } from '../../support/wait-for.js';

const FORM_FILE = '/config/use-case-form.json';
const TABLE = tableName('lease-');

let std: StandardWorld;
let fake: FakeAws;
let store: EmbeddedDynamoDb;
const clients: DynamoDB[] = [];
const processes: AccessServices[] = [];

beforeEach(async () => {
  std = createStandardWorld({ settleMs: 150 });
  fake = await startFakeAws(std.world);
  store = await startEmbeddedDynamoDb();
  await createTableIfMissing(storeClient(), TABLE);
});
afterEach(async () => {
  for (const p of processes.splice(0)) p.close();
  for (const c of clients.splice(0)) c.destroy();
  await store.close();
  await fake.close();
});

function storeClient(): DynamoDB {
  const client = new DynamoDB({
    region: 'us-east-1',
    endpoint: store.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  clients.push(client);
  return client;
}

/** What one process builds: its own AWS clients, its own store client and lease, its own activator. */
function startProcess(options: { lease?: ActivationLease; leaseTtlMs?: number } = {}): AccessServices {
  const services = createAccessServices(
    testConfig(std.accounts, { useCaseFormFile: FORM_FILE, pollIntervalMs: 20, deadlineMs: 10_000 }),
    {
      env: fakeEnv(fake, std.bot),
      maxAttempts: 1,
      readFile: () => JSON.stringify(VETTED_FORM),
      lease: options.lease ?? createDynamoActivationLease(storeClient(), TABLE),
      leaseTtlMs: options.leaseTtlMs,
    },
  );
  processes.push(services);
  return services;
}

/** The process's real lease, except that every renewal fails: its store went away under it. */
function renewalsFail(lease: ActivationLease): ActivationLease & { renewals: number } {
  const failing = {
    ...lease,
    renewals: 0,
    renew: async () => {
      failing.renewals++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
    },
  };
  return failing;
}

/** Holds the next GetUseCaseForModelAccess call at the fake until `release()`; `arrived()` once it came in. */
function holdUseCaseRead() {
  let release = () => {};
  const until = new Promise<void>((resolve) => {
    release = resolve;
  });
  std.world.injectFault('GetUseCaseForModelAccess', { kind: 'wait', until, times: 1 });
  return { release, arrived: () => !std.world.faults.get('GetUseCaseForModelAccess')?.length };
}

const stepLine = (p: ActivationProgress) => `${p.step}:${p.status}`;
const WRITES = ['PutUseCaseForModelAccess', 'CreateFoundationModelAgreement'];

const input = (requestId: string): ActivateModelInput => ({
  requestId,
  modelRef: MODELS.haiku,
  approver: 'U0APPROVER',
  requester: 'U0REQUESTER',
});

describe('activation lease across processes', () => {
  it('runs one activation at a time everywhere: one agreement, one form; the other reports its result', async () => {
    const [a, b] = [startProcess(), startProcess()];
    const [first, second] = await Promise.all([a.activateModel(input('req-a')), b.activateModel(input('req-b'))]);

    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect(std.world.callCount('PutUseCaseForModelAccess')).toBe(1);
    expect([first.outcome, second.outcome]).toEqual(['ACTIVE', 'ACTIVE']);
    expect([first.joined, second.joined].sort()).toEqual([false, true]);
    expect(std.world.agreement(SANDBOX, MODELS.haiku)?.status).toBe('AVAILABLE');
  });

  it('takes over from a holder whose lease ran out without a result (a process that died)', async () => {
    const dead = createDynamoActivationLease(storeClient(), TABLE);
    const held = await dead.acquire(`${SANDBOX}|us-east-1|${MODELS.haiku}`, 'req-dead', 300);
    expect(held.acquired).toBe(true);

    const result = await startProcess().activateModel(input('req-alive'));
    expect(result).toMatchObject({ outcome: 'ACTIVE', joined: false, requestId: 'req-alive' });
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
  });

  it('lets the next activation run once the holder released the lease', async () => {
    const first = await startProcess().activateModel(input('req-1'));
    const again = await startProcess().activateModel(input('req-2'));
    expect([first.outcome, again.outcome]).toEqual(['ACTIVE', 'ALREADY_ACTIVE']);
    expect(again.joined).toBe(false);
  });
});

describe('activation lease: a holder that lost it, a process that waits on it', () => {
  it('a holder whose renewals failed makes no further AWS write once another process took the lease', async () => {
    // Prepare: process A holds the lease (300 ms unless renewed) but cannot renew it, and sits in its form read.
    const held = holdUseCaseRead();
    const lease = renewalsFail(createDynamoActivationLease(storeClient(), TABLE));
    const a = startProcess({ lease, leaseTtlMs: 300 });
    const b = startProcess();

    // Act: A starts; B asks for the same model, waits out A's lease, takes it and activates; then A's read returns.
    const first = a.activateModel(input('req-a'));
    await waitFor(() => held.arrived() && lease.renewals > 0, "A's form read at the fake and a failed renewal");
    const second = await b.activateModel(input('req-b'));
    held.release();
    const firstResult = await first;

    // Assess: one form and one agreement, both B's; A wrote nothing and found the model activated.
    expect(second).toMatchObject({ outcome: 'ACTIVE', joined: false, requestId: 'req-b', agreementCreated: true });
    expect(WRITES.map((op) => std.world.callCount(op))).toEqual([1, 1]);
    const writesBy = (requestId: string) =>
      WRITES.reduce(
        (n, op) => n + std.world.callCount(op, (c) => c.callerArn?.includes(`bd-${requestId}`) === true),
        0,
      );
    expect([writesBy('req-a'), writesBy('req-b')]).toEqual([0, 2]);
    expect(firstResult).toMatchObject({ outcome: 'ALREADY_ACTIVE', agreementCreated: false, requestId: 'req-a' });
    expect(firstResult.useCaseFormSubmitted).toBe(false);
  });

  it("shows a waiting process the holder's steps as the holder records them, then the holder's result", async () => {
    // Prepare: process A holds the lease and sits in its form read; B will wait on A.
    const held = holdUseCaseRead();
    const [a, b] = [startProcess(), startProcess()];
    const first = a.activateModel(input('req-a'));
    await waitFor(held.arrived, "A's form read at the fake");

    // Act: B asks for the same model while A is mid-way.
    const seenByB: string[] = [];
    const second = b.activateModel({ ...input('req-b'), onProgress: (p) => seenByB.push(stepLine(p)) });
    await waitFor(() => seenByB.includes('use_case_form:started'), "A's use-case form step reported to B");

    // Assess: before A finished, B's progress showed A's steps so far, in order; none is B's own.
    expect(seenByB).toEqual([
      'assume_role:started',
      'assume_role:done',
      'read_availability:started',
      'read_availability:done',
      'use_case_form:started',
    ]);
    expect(std.world.callCount('AssumeRole', (c) => c.params.RoleSessionName === 'bd-req-b')).toBe(0);

    held.release();
    const [firstResult, secondResult] = await Promise.all([first, second]);
    expect(firstResult).toMatchObject({ outcome: 'ACTIVE', joined: false });
    expect(secondResult).toMatchObject({ outcome: 'ACTIVE', joined: true, requestId: 'req-a' });
    expect(seenByB).toEqual(firstResult.steps.map(stepLine));
    expect(WRITES.map((op) => std.world.callCount(op))).toEqual([1, 1]);
  });
});
