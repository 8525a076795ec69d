// JobRuns over DynamoDB: one item per job id in the state table, claimed with a conditional write and kept (TTL)
// for as long as any copy of the job could still be accepted.
import type { DynamoDB } from '@aws-sdk/client-dynamodb';
import type { JobOutcome, JobRuns } from '../jobs/job-runs.js';
import { isConditionalFailure } from './repository/context.js';

const OUTCOMES: readonly JobOutcome[] = ['running', 'done', 'failed'];

export function createDynamoJobRuns(client: DynamoDB, table: string, now: () => number = Date.now): JobRuns {
  const keyOf = (jobId: string) => ({ pk: { S: `JOB#${jobId}` }, sk: { S: 'JOB' } });
  return {
    async begin(jobId, messageId, keepSeconds) {
      const nowSeconds = Math.floor(now() / 1000);
      try {
        await client.putItem({
          TableName: table,
          Item: {
            ...keyOf(jobId),
            kind: { S: 'job_run' },
            messageId: { S: messageId.slice(0, 128) },
            outcome: { S: 'running' },
            at: { S: new Date(now()).toISOString() },
            expiresAt: { N: String(nowSeconds + keepSeconds) },
          },
          // An expired item counts as absent: DynamoDB's TTL deletion can lag by days.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        });
        return { first: true };
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
      }
      const { Item } = await client.getItem({ TableName: table, Key: keyOf(jobId), ConsistentRead: true });
      const outcome = OUTCOMES.find((o) => o === Item?.outcome?.S) ?? 'running';
      return { first: false, messageId: Item?.messageId?.S ?? '', outcome };
    },
    async finish(jobId, outcome) {
      await client.updateItem({
        TableName: table,
        Key: keyOf(jobId),
        UpdateExpression: 'SET outcome = :outcome',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':outcome': { S: outcome } },
      });
    },
  };
}
