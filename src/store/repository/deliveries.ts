// The delivery ledger in the table: one conditional put per delivery key, with a TTL, so every process sharing the
// table lets exactly one copy of a retried Slack event or duplicated job through.
import { createHash } from 'node:crypto';
import dynamoose from 'dynamoose';
import type { RequestRepository } from '../../access/request-repository.js';
import { keys } from '../table-design.js';
import { isConditionalFailure, type StoreContext } from './context.js';

export function createDeliveryClaims(ctx: StoreContext): Pick<RequestRepository, 'claimDelivery'> {
  const { Delivery } = ctx.models;

  async function claimDelivery(key: string, ttlSeconds = ctx.options.idempotencyTtlHours * 3600): Promise<boolean> {
    const nowSeconds = Math.floor(ctx.clock().getTime() / 1000);
    // Long keys are hashed so any delivery id fits a partition key.
    const safeKey = key.length > 200 ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
    try {
      await Delivery.create(
        {
          ...keys.delivery(safeKey),
          kind: 'delivery',
          at: ctx.clock().toISOString(),
          expiresAt: nowSeconds + ttlSeconds,
        },
        {
          overwrite: true,
          // An expired record counts as absent: DynamoDB's TTL deletion can lag by days.
          condition: new dynamoose.Condition('pk').not().exists().or().where('expiresAt').lt(nowSeconds),
        },
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }

  return { claimDelivery };
}
