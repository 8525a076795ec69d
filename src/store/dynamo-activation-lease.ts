// ActivationLease over DynamoDB: one item per (account, region, model) in the state table, taken with a conditional
// write (free, or its time ran out), renewed by its holder (with its steps so far), released with the run's outcome
// for whoever waited.
import { randomUUID } from 'node:crypto';
import type { AttributeValue, DynamoDB } from '@aws-sdk/client-dynamodb';
import type { ActivationLease, LeaseState } from '../access/activation/activation-lease.js';
import { isConditionalFailure } from './repository/context.js';

/** A released lease item lingers this long for waiters to read its outcome, then DynamoDB's TTL removes it. */
const KEEP_SECONDS = 24 * 3600;

interface LeaseTable {
  client: DynamoDB;
  table: string;
  now: () => number;
}

const keyOf = (key: string) => ({ pk: { S: `LEASE#${key}` }, sk: { S: 'LEASE' } });
const expiryOf = (now: () => number) => ({ N: String(Math.floor(now() / 1000) + KEEP_SECONDS) });

export function createDynamoActivationLease(
  client: DynamoDB,
  table: string,
  now: () => number = Date.now,
): ActivationLease {
  const ctx: LeaseTable = { client, table, now };
  const expiry = () => expiryOf(now);

  async function read(key: string): Promise<LeaseState | undefined> {
    const out = await client.getItem({ TableName: table, Key: keyOf(key), ConsistentRead: true });
    return out.Item ? stateOf(out.Item) : undefined;
  }

  return {
    read,
    async acquire(key, holder, ttlMs) {
      const token = randomUUID();
      try {
        await client.updateItem({
          TableName: table,
          Key: keyOf(key),
          // A new holder starts with no steps: the previous holder's are not its progress.
          UpdateExpression:
            'SET #kind = :kind, #token = :token, #holder = :holder, #until = :until, #expires = :exp REMOVE #progress',
          ConditionExpression: 'attribute_not_exists(#token) OR #until < :now',
          ExpressionAttributeNames: {
            '#kind': 'kind',
            '#token': 'token',
            '#holder': 'holder',
            '#until': 'leaseUntil',
            '#expires': 'expiresAt',
            '#progress': 'progress',
          },
          ExpressionAttributeValues: {
            ':kind': { S: 'lease' },
            ':token': { S: token },
            ':holder': { S: holder.slice(0, 256) },
            ':until': { N: String(now() + ttlMs) },
            ':now': { N: String(now()) },
            ':exp': expiry(),
          },
        });
        return { acquired: true, token };
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
        return { acquired: false, state: (await read(key)) ?? {} };
      }
    },
    renew: (key, token, ttlMs, progress) => renewLease(ctx, key, token, ttlMs, progress),
    release: (key, token, outcome) => releaseLease(ctx, key, token, outcome),
  };
}

async function renewLease(
  ctx: LeaseTable,
  key: string,
  token: string,
  ttlMs: number,
  progress?: string,
): Promise<boolean> {
  try {
    await ctx.client.updateItem({
      TableName: ctx.table,
      Key: keyOf(key),
      UpdateExpression: progress === undefined ? 'SET #until = :until' : 'SET #until = :until, #progress = :progress',
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: {
        '#token': 'token',
        '#until': 'leaseUntil',
        ...(progress === undefined ? {} : { '#progress': 'progress' }),
      },
      ExpressionAttributeValues: {
        ':token': { S: token },
        ':until': { N: String(ctx.now() + ttlMs) },
        ...(progress === undefined ? {} : { ':progress': { S: progress } }),
      },
    });
    return true;
  } catch (err) {
    if (isConditionalFailure(err)) return false;
    throw err;
  }
}

async function releaseLease(ctx: LeaseTable, key: string, token: string, outcome?: string): Promise<void> {
  try {
    await ctx.client.updateItem({
      TableName: ctx.table,
      Key: keyOf(key),
      UpdateExpression: outcome
        ? 'SET #last = :token, #expires = :exp, #outcome = :outcome REMOVE #token, #holder, #until'
        : 'SET #last = :token, #expires = :exp REMOVE #token, #holder, #until, #outcome',
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: {
        '#token': 'token',
        '#holder': 'holder',
        '#until': 'leaseUntil',
        '#last': 'lastToken',
        '#expires': 'expiresAt',
        '#outcome': 'outcome',
      },
      ExpressionAttributeValues: {
        ':token': { S: token },
        ':exp': expiryOf(ctx.now),
        ...(outcome ? { ':outcome': { S: outcome } } : {}),
      },
    });
  } catch (err) {
    // Not ours any more (our time ran out and someone took it): nothing to release.
    if (!isConditionalFailure(err)) throw err;
  }
}

function stateOf(item: Record<string, AttributeValue>): LeaseState {
  return {
    token: item.token?.S,
    holder: item.holder?.S,
    until: item.leaseUntil?.N ? Number(item.leaseUntil.N) : undefined,
    progress: item.progress?.S,
    lastToken: item.lastToken?.S,
    outcome: item.outcome?.S,
  };
}
