// Issue 9: DynamoDB refuses transactions the embedded store never refuses (TransactionConflict when two transactions
// touch one item, ProvisionedThroughputExceeded). Injected by a proxy in front of dynalite, met by the real SDK and
// the real repository: bounded retries, then a clear error; never a lost decision dressed up as a lost race.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreBusyError } from '../../src/access/request-repository.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../src/store/embedded-dynamodb.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { createTableIfMissing, tableName } from '../../src/store/table-design.js';
import { type DynamoFault, type DynamoFaultProxy, startDynamoFaultProxy } from './dynamo-fault-proxy.js';
import { requestInput } from './store-fixture.js';

let server: EmbeddedDynamoDb;
let proxy: DynamoFaultProxy;
let client: DynamoDB;
let store: Store;

beforeAll(async () => {
  server = await startEmbeddedDynamoDb();
  proxy = await startDynamoFaultProxy(server.endpoint);
  // One SDK attempt per call, so every TransactWriteItems the proxy sees is one of the repository's own attempts.
  client = new DynamoDB({
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  await createTableIfMissing(client, tableName('test-'));
  const config = loadConfig({ AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint, DYNAMODB_TABLE_PREFIX: 'test-' });
  store = await openStore(config, { logger: silentLogger, client });
});
afterAll(async () => {
  await store.close();
  client.destroy();
  await proxy.close();
  await server.close();
});
beforeEach(() => proxy.clear());

const approver = { userId: 'U0APPROVER' };
const FAULTS: DynamoFault['kind'][] = ['transaction-conflict', 'throughput-exceeded'];

describe.each(FAULTS)('the repository under %s', (kind) => {
  it('retries the transition and commits it once', async () => {
    const { request } = await store.repository.openOrJoin(requestInput());
    proxy.inject('TransactWriteItems', { kind, times: 2 });
    const before = proxy.count('TransactWriteItems');

    const result = await store.repository.transition(request.id, {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: approver,
    });

    expect(result).toMatchObject({ ok: true, request: { state: 'APPROVED', version: 2 } });
    expect(proxy.count('TransactWriteItems') - before).toBe(3);
    expect((await store.repository.auditTrail(request.id)).map((e) => e.toState)).toEqual(['REQUESTED', 'APPROVED']);
  });

  it('gives up after a bounded number of attempts with a clear error, and nothing changed', async () => {
    const { request } = await store.repository.openOrJoin(requestInput());
    proxy.inject('TransactWriteItems', { kind });
    const before = proxy.count('TransactWriteItems');

    const err = await store.repository
      .transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver })
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(err).toBeInstanceOf(StoreBusyError);
    expect((err as Error).message).toContain('nothing was changed');
    expect(proxy.count('TransactWriteItems') - before).toBe(4);
    proxy.clear();
    expect(await store.repository.get(request.id)).toMatchObject({ state: 'REQUESTED', version: 1 });
  });

  it('opens a request through a refused first attempt instead of mistaking it for a taken slot', async () => {
    proxy.inject('TransactWriteItems', { kind, times: 1 });
    const { request, joined } = await store.repository.openOrJoin(requestInput());
    expect(joined).toBe(false);
    expect(await store.repository.get(request.id)).toMatchObject({ state: 'REQUESTED', version: 1 });
  });
});
