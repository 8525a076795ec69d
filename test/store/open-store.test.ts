import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startEmbeddedDynamoDb } from '../../src/store/embedded-dynamodb.js';
import { openStore } from '../../src/store/open-store.js';
import { createTableIfMissing, tableName } from '../../src/store/table-design.js';
import { requestInput } from './store-fixture.js';

describe('embedded mode (no DynamoDB settings)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-store-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps requests, audit trail and delivery claims across a stop and a start on the same data folder', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = await openStore(config, { logger: silentLogger });
    const { request } = await first.repository.openOrJoin(requestInput());
    await first.repository.transition(request.id, {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: { userId: 'U0APPROVER' },
    });
    await first.repository.claimDelivery('Ev0PERSISTED');
    const trail = await first.repository.auditTrail(request.id);
    await first.close();

    const second = await openStore(config, { logger: silentLogger });
    try {
      expect(second.mode).toBe('embedded');
      expect(await second.repository.get(request.id)).toMatchObject({ id: request.id, state: 'APPROVED', version: 2 });
      expect(await second.repository.auditTrail(request.id)).toEqual(trail);
      expect(await second.repository.listOpen()).toHaveLength(1);
      expect(await second.repository.claimDelivery('Ev0PERSISTED')).toBe(false);
    } finally {
      await second.close();
    }
    expect(readdirSync(join(dataDir, 'dynamodb')).length).toBeGreaterThan(0);
  });
});

describe('external mode (endpoint or table prefix set)', () => {
  it('uses the existing table and never creates, updates or describes tables', async () => {
    const server = await startEmbeddedDynamoDb();
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    const admin = new DynamoDB({ region: 'us-east-1', endpoint: server.endpoint, credentials });
    await createTableIfMissing(admin, tableName('prod-'));
    const client = new DynamoDB({ region: 'us-east-1', endpoint: server.endpoint, credentials });
    const sent: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const config = loadConfig({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, DYNAMODB_TABLE_PREFIX: 'prod-' });
    const store = await openStore(config, { logger: silentLogger, client });
    try {
      const { request } = await store.repository.openOrJoin(requestInput({ userId: 'U0FIRST001' }));
      await store.repository.openOrJoin(requestInput({ userId: 'U0SECOND01', baseModelId: request.baseModelId }));
      await store.repository.transition(request.id, {
        from: 'REQUESTED',
        to: 'APPROVED',
        actor: { userId: 'U0APPR0001' },
      });
      await store.repository.transition(request.id, {
        from: 'APPROVED',
        to: 'ACTIVATING',
        actor: { userId: 'system:worker' },
      });
      await store.repository.recordProgress(request.id, 3, { step: 'list_offers', status: 'done' });
      await store.repository.transition(request.id, {
        from: 'ACTIVATING',
        to: 'ACTIVE',
        actor: { userId: 'system:worker' },
      });
      await store.repository.listOpen();
      await store.repository.listByRequester('U0SECOND01');
      await store.repository.listByModel(request.accountId, request.region, request.baseModelId);
      await store.repository.auditTrail(request.id);
      await store.repository.claimDelivery('Ev0PROD0001');

      expect(store.mode).toBe('external');
      expect(store.tableName).toBe('prod-bedrock-doctor-state');
      expect(sent.length).toBeGreaterThan(10);
      expect(sent.filter((c) => /Table|TimeToLive/.test(c))).toEqual([]);
    } finally {
      await store.close();
      client.destroy();
      admin.destroy();
      await server.close();
    }
  });

  it('fails with a clear error when the table does not exist', async () => {
    const server = await startEmbeddedDynamoDb();
    const config = loadConfig({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, DYNAMODB_TABLE_PREFIX: 'missing-' });
    const client = new DynamoDB({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const store = await openStore(config, { logger: silentLogger, client });
    try {
      await expect(store.repository.get('any')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      await store.close();
      client.destroy();
      await server.close();
    }
  });
});

describe('embedded mode with a data folder already in use', () => {
  it('refuses to start with a message naming the folder and DATA_DIR', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-locked-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = await openStore(config, { logger: silentLogger });
    try {
      await first.repository.openOrJoin(requestInput());

      const second = openStore(config, { logger: silentLogger });

      await expect(second).rejects.toThrow(/is in use by another bedrock-doctor process.*DATA_DIR/);
    } finally {
      await first.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
