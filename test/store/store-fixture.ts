// A real dynalite on loopback with the table created, and a store opened on it the way production opens one.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startEmbeddedDynamoDb } from '../../src/store/embedded-dynamodb.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { createTableIfMissing, tableName } from '../../src/store/table-design.js';

export interface Fixture {
  store: Store;
  /** A plain SDK client on the same server, for looking at (or planting) raw items. */
  raw: DynamoDB;
  table: string;
  /** Every command name the store's own client sent. */
  commands: string[];
  clock: { now: Date };
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const server = await startEmbeddedDynamoDb();
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const raw = new DynamoDB({ region: 'us-east-1', endpoint: server.endpoint, credentials });
  const table = tableName('test-');
  await createTableIfMissing(raw, table);
  const client = new DynamoDB({ region: 'us-east-1', endpoint: server.endpoint, credentials });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  const clock = { now: new Date('2026-11-26T10:00:00.000Z') };
  const config = loadConfig({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, DYNAMODB_TABLE_PREFIX: 'test-' });
  const store = await openStore(config, { logger: silentLogger, client, now: () => clock.now });
  return {
    store,
    raw,
    table,
    commands,
    clock,
    close: async () => {
      await store.close();
      client.destroy();
      raw.destroy();
      await server.close();
    },
  };
}

let modelCounter = 0;
/** Open-or-join input for a model no other test uses. */
export function requestInput(overrides: Partial<{ userId: string; baseModelId: string; reason: string }> = {}) {
  const baseModelId = overrides.baseModelId ?? `anthropic.test-model-${++modelCounter}-v1:0`;
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    modelRef: baseModelId,
    baseModelId,
    provider: 'Anthropic',
    requester: { userId: overrides.userId ?? 'U0REQUEST1', teamId: 'T0TEAM0001', channelId: 'D0DIRECT01' },
    reason: overrides.reason ?? 'RAG prototype for the support team',
  };
}
