// AccountRegistry over the state table: one item per account in the `ACCOUNTS` partition (a Query reads them all,
// 500 accounts ≈ 300 KB), the registry's audit trail and the seed marker beside them. dynamoose models write them;
// the full read is a plain document-client Query checked by zod, because it sits on the Slack ack path and dynamoose
// converts each item one by one: 500 accounts took 15× longer through it (5.8–7.8 s against 0.35–0.5 s, loaded
// machine), far over the 3 seconds Slack allows an ack.
import { randomBytes } from 'node:crypto';
import type { DynamoDB } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { AccountRegistry, RegistryAuditEvent, RegistryEntry } from '../access/account-registry.js';
import { InvalidStoredItemError } from '../access/request-repository.js';
import { accountSchema } from '../config.js';
import type { StoreModels } from './models.js';
import { queryAll } from './repository/context.js';
import { keys } from './table-design.js';

const entryItem = z.object({
  account: accountSchema,
  source: z.enum(['import', 'organizations', 'seed']),
  status: z.enum(['active', 'removed']),
  updatedAt: z.string(),
  removedAt: z.string().optional(),
});

const auditItem = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(['accounts_imported', 'account_removed', 'accounts_synced', 'accounts_seeded']),
  added: z.array(z.string()).default([]),
  updated: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
  note: z.string().optional(),
});

/** Parallel single-item writes: the functions' roles hold PutItem, not BatchWriteItem. */
const WRITE_CONCURRENCY = 10;

export function createDynamoAccountRegistry(
  models: StoreModels,
  client: DynamoDB,
  now: () => Date = () => new Date(),
): AccountRegistry {
  const { RegisteredAccount, RegistryAudit, RegistryMarker } = models;
  const documents = DynamoDBDocumentClient.from(client);
  return {
    async entries() {
      const entries: RegistryEntry[] = [];
      const pages = paginateQuery(
        { client: documents },
        {
          TableName: models.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.registryPk, ':prefix': 'ACCOUNT#' },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const raw of page.Items ?? []) entries.push(parse(entryItem, raw) as RegistryEntry);
      }
      return entries;
    },
    async write(changed, event) {
      const queue = [...changed];
      const worker = async () => {
        for (let entry = queue.shift(); entry; entry = queue.shift()) {
          await RegisteredAccount.create(
            { ...keys.account(entry.account.id), kind: 'account', accountId: entry.account.id, ...entry },
            { overwrite: true },
          );
        }
      };
      await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
      // Written after the accounts: an event in the trail means its change is in the table.
      const at = now().toISOString();
      const key = keys.registryAudit(at, randomBytes(4).toString('hex'));
      const stored: RegistryAuditEvent = { id: key.sk.slice('AUDIT#'.length), at, ...event };
      await RegistryAudit.create({ ...key, kind: 'registry_audit', ...stored });
      return stored;
    },
    async history() {
      const items = await queryAll(
        RegistryAudit.query('pk').eq(keys.registryPk).where('sk').beginsWith('AUDIT#').consistent(),
        'account registry audit trail',
      );
      return items.map((raw) => parse(auditItem, raw) as RegistryAuditEvent);
    },
    async readMarker(name) {
      const item = await RegistryMarker.get(keys.registryMarker(name), { consistent: true });
      return item ? String(item.toJSON().value) : undefined;
    },
    async writeMarker(name, value) {
      await RegistryMarker.create({ ...keys.registryMarker(name), kind: 'marker', value }, { overwrite: true });
    },
  };
}

function parse<T>(schema: z.ZodType<T>, raw: Record<string, unknown>): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new InvalidStoredItemError(
      `${String(raw.pk)}/${String(raw.sk)}`,
      result.error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`),
    );
  }
  return result.data;
}
