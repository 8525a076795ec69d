// Adds DynamoDB's TransactWriteItems to dynalite, which lacks it (architect/dynalite#151, mhart/dynalite#98).
// It reuses dynalite's own validation, condition evaluation and write actions. Isolation comes from one write lane:
// every mutating request (ours and dynalite's own PutItem/UpdateItem/…) runs one at a time, so the
// check-all-conditions-then-apply sequence of a transaction cannot interleave with another write. Atomicity comes
// from one LevelDB batch: dynalite's actions run against a staging view that records their item and index writes,
// and the whole transaction is committed with a single `batch` (LevelDB writes a batch to its log as one record),
// so a crash leaves all of it or none of it: a request never ends up half-written.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Callback<T = unknown> = (err: (Error & { statusCode?: number; body?: unknown }) | null, value?: T) => void;
type AttributeMap = Record<string, unknown>;

interface ItemDb {
  get(key: string, cb: Callback<AttributeMap>): void;
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
}
type BatchOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };
export interface DynaliteStore {
  /** The one LevelDB every table, item and index lives in (dynalite prefixes keys per sub-database). */
  db: { batch(ops: BatchOp[], cb: Callback): void };
  getTable(name: string, cb: Callback<DynaliteTable>): void;
  getItemDb(name: string): ItemDb;
  getIndexDb(indexType: string, tableName: string, indexName: string): ItemDb;
}
type DynaliteTable = Record<string, unknown>;
type ActionData = Record<string, unknown>;
type Action = (store: DynaliteStore, data: ActionData, cb: Callback) => void;
interface ActionValidation {
  types: Record<string, unknown>;
  custom?: (data: ActionData, store: DynaliteStore) => string | undefined;
}

// dynalite is CommonJS without type declarations; these are its documented-by-source internals.
const db = require('dynalite/db/index.js') as {
  create(options: Record<string, unknown>): DynaliteStore;
  createKey(item: AttributeMap, table: DynaliteTable): string;
  checkConditional(data: ActionData, existing: AttributeMap | undefined): Error | null | undefined;
  itemSize(item: AttributeMap): number;
};
const validations = require('dynalite/validations/index.js') as {
  checkTypes(data: ActionData, types: Record<string, unknown>): ActionData;
  checkValidations(data: ActionData, types: Record<string, unknown>, custom: unknown, store: DynaliteStore): void;
};
const ACTIONS = {
  putItem: require('dynalite/actions/putItem.js') as Action,
  updateItem: require('dynalite/actions/updateItem.js') as Action,
  deleteItem: require('dynalite/actions/deleteItem.js') as Action,
};
const VALIDATIONS: Record<keyof typeof ACTIONS, ActionValidation> = {
  putItem: require('dynalite/validations/putItem.js'),
  updateItem: require('dynalite/validations/updateItem.js'),
  deleteItem: require('dynalite/validations/deleteItem.js'),
};

const dynaliteFactory = require('dynalite') as (options: Record<string, unknown>) => Server;

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const MAX_TRANSACT_ITEMS = 100;

/** Starts a dynalite server (not yet listening) that also serves TransactWriteItems. */
export function createTransactionalDynalite(options: { path?: string; maxItemSizeKb?: number }): Server {
  // dynalite builds its store inside the factory and does not expose it; capture it from the one call.
  let store: DynaliteStore | undefined;
  const originalCreate = db.create;
  db.create = (opts) => {
    store = originalCreate(opts);
    return store;
  };
  let server: Server;
  try {
    server = dynaliteFactory({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  } finally {
    db.create = originalCreate;
  }
  if (!store) throw new Error('dynalite did not create its store');
  const captured = store;
  const [original] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!original) throw new Error('dynalite server has no request handler');
  server.removeAllListeners('request');
  const lane = new WriteLane();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (operation === 'TransactWriteItems') {
      void handleTransactWrite(captured, lane, req, res);
    } else if (WRITE_OPERATIONS.has(operation)) {
      // The body stays buffered in the paused request until dynalite attaches its listeners.
      void lane.run(
        () =>
          new Promise<void>((resolve) => {
            res.once('close', resolve);
            res.once('finish', resolve);
            original(req, res);
          }),
      );
    } else {
      original(req, res);
    }
  });
  return server;
}

/** Runs async jobs strictly one after another. */
class WriteLane {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

interface PreparedOp {
  action: keyof typeof ACTIONS;
  data: ActionData;
  checkOnly: boolean;
  itemDb: ItemDb;
  key: string;
  returnOldOnFailure: boolean;
}

class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.Message ?? body.__type));
  }
}

function validationError(message: string): ApiError {
  return new ApiError(400, { __type: 'com.amazon.coral.validate#ValidationException', message });
}

async function handleTransactWrite(
  store: DynaliteStore,
  lane: WriteLane,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const body = await readBody(req);
    let input: { TransactItems?: unknown };
    try {
      input = JSON.parse(body) as { TransactItems?: unknown };
    } catch {
      throw new ApiError(400, { __type: 'com.amazon.coral.service#SerializationException' });
    }
    const ops = await prepare(store, input.TransactItems);
    const result = await lane.run(() => execute(store, ops));
    send(res, 200, result);
  } catch (err) {
    if (err instanceof ApiError) send(res, err.statusCode, err.body);
    else if (isDynaliteError(err)) send(res, err.statusCode, err.body);
    else send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(err) });
  }
}

function isDynaliteError(err: unknown): err is { statusCode: number; body: Record<string, unknown> } {
  return typeof err === 'object' && err !== null && 'statusCode' in err && 'body' in err;
}

async function prepare(store: DynaliteStore, items: unknown): Promise<PreparedOp[]> {
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_TRANSACT_ITEMS) {
    throw validationError(`TransactItems must hold between 1 and ${MAX_TRANSACT_ITEMS} actions`);
  }
  const seen = new Set<string>();
  const ops: PreparedOp[] = [];
  for (const raw of items as Record<string, ActionData>[]) {
    const kinds = Object.keys(raw ?? {});
    const kind = kinds[0];
    if (kinds.length !== 1 || !kind) throw validationError('Each TransactItem must hold exactly one action');
    const spec = raw[kind] ?? {};
    const action =
      kind === 'Put' ? 'putItem' : kind === 'Update' ? 'updateItem' : kind === 'Delete' ? 'deleteItem' : undefined;
    const checkOnly = kind === 'ConditionCheck';
    const chosen = action ?? (checkOnly ? 'deleteItem' : undefined);
    if (!chosen) throw validationError(`Unknown TransactItem action ${kind}`);
    const returnOldOnFailure = spec.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
    const { ReturnValuesOnConditionCheckFailure: _ignored, ...rest } = spec;
    const validation = VALIDATIONS[chosen];
    const data = validations.checkTypes({ ...rest }, validation.types);
    validations.checkValidations(data, validation.types, validation.custom, store);
    const tableName = String(data.TableName);
    const table = await new Promise<DynaliteTable>((resolve, reject) =>
      store.getTable(tableName, (err, t) => (err || !t ? reject(err ?? validationError('no table')) : resolve(t))),
    );
    const key = db.createKey((data.Item ?? data.Key) as AttributeMap, table);
    if (seen.has(`${tableName}\u0000${key}`)) {
      throw validationError('Transaction request cannot include multiple operations on one item');
    }
    seen.add(`${tableName}\u0000${key}`);
    if (data.Item && db.itemSize(data.Item as AttributeMap) > 400 * 1024) {
      throw validationError('Item size has exceeded the maximum allowed size');
    }
    ops.push({ action: chosen, data, checkOnly, itemDb: store.getItemDb(tableName), key, returnOldOnFailure });
  }
  return ops;
}

async function execute(store: DynaliteStore, ops: PreparedOp[]): Promise<Record<string, unknown>> {
  const reasons: Record<string, unknown>[] = [];
  let failed = false;
  for (const op of ops) {
    const existing = await new Promise<AttributeMap | undefined>((resolve, reject) =>
      op.itemDb.get(op.key, (err, item) => (err && err.name !== 'NotFoundError' ? reject(err) : resolve(item))),
    );
    if (db.checkConditional(op.data, existing)) {
      failed = true;
      reasons.push({
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        ...(op.returnOldOnFailure && existing ? { Item: existing } : {}),
      });
    } else {
      reasons.push({ Code: 'None' });
    }
  }
  if (failed) {
    throw new ApiError(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      CancellationReasons: reasons,
    });
  }
  const batch: BatchOp[] = [];
  const staging = stagingStore(store, batch);
  for (const op of ops) {
    if (op.checkOnly) continue;
    await new Promise<void>((resolve, reject) =>
      ACTIONS[op.action](staging, op.data, (err) => (err ? reject(err) : resolve())),
    );
  }
  if (batch.length > 0) {
    await new Promise<void>((resolve, reject) => store.db.batch(batch, (err) => (err ? reject(err) : resolve())));
  }
  return {};
}

/**
 * The store as dynalite's actions see it, except that item and index writes are recorded into `batch` instead of
 * written; reads and per-key locks go to the real store. Key prefixes are dynalite's own sub-database names
 * (`db/index.js` getItemDb / getIndexDb: `<name>~`).
 */
function stagingStore(store: DynaliteStore, batch: BatchOp[]): DynaliteStore {
  const staged = (prefix: string, real: ItemDb): ItemDb => ({
    ...real,
    put: (key, value, cb) => {
      batch.push({ type: 'put', key: prefix + key, value });
      setImmediate(cb, null);
    },
    del: (key, cb) => {
      batch.push({ type: 'del', key: prefix + key });
      setImmediate(cb, null);
    },
  });
  return {
    ...store,
    getItemDb: (name) => staged(`item-${name}~`, store.getItemDb(name)),
    getIndexDb: (indexType, tableName, indexName) =>
      staged(
        `index-${indexType.toLowerCase()}~${tableName}~${indexName}~`,
        store.getIndexDb(indexType, tableName, indexName),
      ),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16 * 1024 * 1024) {
        reject(new ApiError(413, { __type: 'com.amazon.coral.service#RequestEntityTooLarge' }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
