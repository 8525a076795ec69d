// One table holds every record; keys and the two GSIs below serve all access patterns (README "State (DynamoDB)").
import type { CreateTableCommandInput, DynamoDB } from '@aws-sdk/client-dynamodb';

export const TABLE_BASE_NAME = 'bedrock-doctor-state';
export const GSI_OPEN_AND_USER = 'gsi1';
export const GSI_MODEL = 'gsi2';
/** Epoch seconds; enable DynamoDB TTL on this attribute (infra does; dynalite ignores it). */
export const TTL_ATTRIBUTE = 'expiresAt';

export function tableName(prefix?: string): string {
  return `${prefix ?? ''}${TABLE_BASE_NAME}`;
}

export const keys = {
  request: (id: string) => ({ pk: `REQ#${id}`, sk: 'REQUEST' }),
  /** Transition events sort by version; notes sort right after the version they follow. */
  auditForVersion: (id: string, version: number) => ({ pk: `REQ#${id}`, sk: `AUDIT#${pad(version)}` }),
  auditNote: (id: string, version: number, at: string, nonce: string) => ({
    pk: `REQ#${id}`,
    sk: `AUDIT#${pad(version)}#${at}#${nonce}`,
  }),
  participant: (id: string, userId: string) => ({ pk: `REQ#${id}`, sk: `USER#${userId}` }),
  openSlot: (accountId: string, region: string, baseModelId: string) => ({
    pk: `OPEN#${accountId}#${region}#${baseModelId}`,
    sk: 'SLOT',
  }),
  delivery: (key: string) => ({ pk: `DELIVERY#${key}`, sk: 'DELIVERY' }),
  miss: (id: string) => ({ pk: `MISS#${id}`, sk: 'MISS' }),
  /** The account registry is one small partition: every account, its audit trail and the seed marker. */
  registryPk: 'ACCOUNTS',
  account: (accountId: string) => ({ pk: 'ACCOUNTS', sk: `ACCOUNT#${accountId}` }),
  registryAudit: (at: string, nonce: string) => ({ pk: 'ACCOUNTS', sk: `AUDIT#${at}#${nonce}` }),
  registryMarker: (name: string) => ({ pk: 'ACCOUNTS', sk: `MARKER#${name}` }),
};

export const index = {
  openPk: 'OPEN',
  userPk: (userId: string) => `USER#${userId}`,
  /** Kept "Not what happened?" pastes, sorted by when they were kept. */
  missesPk: 'MISSES',
  modelPk: (accountId: string, region: string, baseModelId: string) => `MODEL#${accountId}#${region}#${baseModelId}`,
  sortByCreation: (createdAt: string, id: string) => `${createdAt}#${id}`,
};

function pad(version: number): string {
  return String(version).padStart(10, '0');
}

/** The table as infrastructure must create it (and as embedded mode creates it). On-demand billing. */
export function tableDefinition(name: string): CreateTableCommandInput {
  const s = (AttributeName: string) => ({ AttributeName, AttributeType: 'S' as const });
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [s('pk'), s('sk'), s('gsi1pk'), s('gsi1sk'), s('gsi2pk'), s('gsi2sk')],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI_OPEN_AND_USER,
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: GSI_MODEL,
        KeySchema: [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** For the embedded store and tests only; production tables belong to infrastructure code. */
export async function createTableIfMissing(
  client: DynamoDB,
  name: string,
  definition: CreateTableCommandInput = tableDefinition(name),
): Promise<void> {
  const existing = await client.listTables({});
  if (!existing.TableNames?.includes(name)) await client.createTable(definition);
  // Item calls fail with ResourceNotFoundException until the table is ACTIVE (dynalite: a moment later).
  for (let waited = 0; waited < 10_000; waited += 10) {
    const { Table } = await client.describeTable({ TableName: name });
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Table ${name} did not become ACTIVE within 10 s`);
}
