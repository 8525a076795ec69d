// What every part of the DynamoDB request repository shares: the models, the clock, one transactional write, one
// consistent read of a request, and how DynamoDB's refusals are told apart from failures.
import type { AnyItem } from 'dynamoose/dist/Item.js';
import { type ActivationRequest, InvalidStoredItemError, StoreBusyError } from '../../access/request-repository.js';
import { messageOf } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { StoreModels } from '../models.js';
import { requestFromItem } from '../records.js';
import { keys } from '../table-design.js';

export interface RepositoryOptions {
  requestTtlDays: number;
  idempotencyTtlHours: number;
  logger: Logger;
  /** Injectable clock (tests). */
  now?: () => Date;
}

/** A dynamoose `transaction.*` action, built asynchronously. */
export type TransactItem = Promise<unknown>;
export type PlainItem = Record<string, unknown>;

export interface StoreContext {
  models: StoreModels;
  options: RepositoryOptions;
  log: Logger;
  clock: () => Date;
  /** Epoch seconds `seconds` from now (for TTL attributes). */
  expiry(seconds: number): number;
  /** All or nothing: dynamoose builds the actions (validation, key mapping, conditions); this store's client sends. */
  transact(items: TransactItem[]): Promise<void>;
  /** A consistent read of one request. */
  getRequest(id: string): Promise<ActivationRequest | undefined>;
}

export function createStoreContext(models: StoreModels, options: RepositoryOptions): StoreContext {
  const clock = options.now ?? (() => new Date());
  const ddb = () => models.instance.aws.ddb();
  return {
    models,
    options,
    log: options.logger,
    clock,
    expiry: (seconds) => Math.floor(clock().getTime() / 1000) + seconds,
    async transact(items) {
      const TransactItems = (await Promise.all(items)) as Parameters<
        ReturnType<typeof ddb>['transactWriteItems']
      >[0]['TransactItems'];
      // DynamoDB cancels a transaction that meets another one on the same item (TransactionConflict) and refuses
      // writes over the table's throughput; both pass, and neither is a lost race: try again, a few times only.
      for (let attempt = 1; ; attempt++) {
        try {
          await ddb().transactWriteItems({ TransactItems });
          return;
        } catch (err) {
          const code = transientCode(err);
          if (!code) throw err;
          if (attempt >= TRANSACT_ATTEMPTS) throw new StoreBusyError(attempt, code, { cause: err });
          options.logger.info('store write refused for a passing reason; retrying', { code, attempt });
          await backoff(attempt);
        }
      }
    },
    async getRequest(id) {
      const key = keys.request(id);
      const item = await readStored(key, () => models.Request.get(key, { consistent: true }));
      return item ? requestFromItem(item.toJSON()) : undefined;
    },
  };
}

/** Every page of a dynamoose query, as plain objects. */
export async function queryAll(query: { all(): { exec(): Promise<AnyItem[]> } }, what: string): Promise<PlainItem[]> {
  const items = await readStored(what, () => query.all().exec());
  return items.map((item) => item.toJSON());
}

/**
 * Runs a dynamoose read. dynamoose checks stored attribute types against the model; a mismatch is a stored item
 * this code must not act on, reported like any other invalid item (zod checks the rest).
 */
export async function readStored<T>(what: string | { pk: string; sk: string }, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (errorName(err) !== 'TypeMismatch') throw err;
    const key = typeof what === 'string' ? what : `${what.pk}/${what.sk}`;
    throw new InvalidStoredItemError(key, [messageOf(err)]);
  }
}

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
}

/** Attempts of one transaction refused for passing reasons (see `transientCode`) before StoreBusyError. */
const TRANSACT_ATTEMPTS = 4;
const THROUGHPUT_CODES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);

/** The code of a refusal worth retrying: throughput, or a cancellation caused by conflicts only (no condition). */
function transientCode(err: unknown): string | undefined {
  const name = errorName(err);
  if (THROUGHPUT_CODES.has(name)) return name;
  if (name !== 'TransactionCanceledException') return undefined;
  const codes = cancellationCodes(err);
  if (codes.includes('ConditionalCheckFailed')) return undefined;
  return codes.find(
    (c) => c === 'TransactionConflict' || c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded',
  );
}

function cancellationCodes(err: unknown): string[] {
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

/** Exponential with full jitter: 0–20, 0–40, 0–80 ms. */
function backoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
}

/** A transaction refused because one of its conditions failed (someone else got there first). */
export function isCancelled(err: unknown): boolean {
  return errorName(err) === 'TransactionCanceledException';
}

export function isConditionalFailure(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

/** Short, growing, jittered wait between optimistic retries. */
export function pause(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt * 3)));
}
