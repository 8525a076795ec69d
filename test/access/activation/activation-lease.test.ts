// Issue 9: two activations of one model from separate processes (two CLI runs, the CLI and the bot) must make one
// agreement and submit the Anthropic form once. Two activators with their own AWS clients and their own store
// clients stand for two processes; they share only the fake AWS and one dynalite store, as processes would.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivateModelInput } from '../../../src/access/activation/activate-model.js';
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
function startProcess(): AccessServices {
  const services = createAccessServices(
    testConfig(std.accounts, { useCaseFormFile: FORM_FILE, pollIntervalMs: 20, deadlineMs: 10_000 }),
    {
      env: fakeEnv(fake, std.bot),
      maxAttempts: 1,
      readFile: () => JSON.stringify(VETTED_FORM),
      lease: createDynamoActivationLease(storeClient(), TABLE),
    },
  );
  processes.push(services);
  return services;
}

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
