// UsageCounter over DynamoDB: one item per (key, window) in the state table, counted with an atomic ADD, gone with
// the window (TTL). Every process sharing the table shares the counts, so a person's share holds on Lambda too.
import type { DynamoDB } from '@aws-sdk/client-dynamodb';
import type { UsageCounter } from '../access/rate-limit.js';

export function createDynamoUsageCounter(client: DynamoDB, table: string): UsageCounter {
  return {
    async add(key, expiresAt) {
      const out = await client.updateItem({
        TableName: table,
        Key: { pk: { S: `USAGE#${key.slice(0, 200)}` }, sk: { S: 'USAGE' } },
        UpdateExpression: 'ADD used :one SET kind = :kind, expiresAt = :expires',
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':kind': { S: 'usage' },
          ':expires': { N: String(Math.ceil(expiresAt / 1000)) },
        },
        ReturnValues: 'UPDATED_NEW',
      });
      return Number(out.Attributes?.used?.N ?? 1);
    },
  };
}
