// Opens the state store for the composition root (src/runtime/compose.ts): embedded dynalite or external DynamoDB.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import type { AccountRegistry } from '../access/account-registry.js';
import type { ActivationLease } from '../access/activation/activation-lease.js';
import type { MissStore } from '../access/diagnosis-misses.js';
import type { UsageCounter } from '../access/rate-limit.js';
import type { RequestRepository } from '../access/request-repository.js';
import type { Config } from '../config.js';
import type { JobRuns } from '../jobs/job-runs.js';
import type { Logger } from '../log.js';
import { createDynamoAccountRegistry } from './dynamo-account-registry.js';
import { createDynamoActivationLease } from './dynamo-activation-lease.js';
import { createDynamoJobRuns } from './dynamo-job-runs.js';
import { createDynamoMissStore } from './dynamo-miss-store.js';
import { createDynamoRequestRepository } from './dynamo-request-repository.js';
import { createDynamoUsageCounter } from './dynamo-usage-counter.js';
import { createModels } from './models.js';
import { createTableIfMissing, tableName } from './table-design.js';

export interface Store {
  repository: RequestRepository;
  /** One activation of a model at a time across every process sharing this store. */
  lease: ActivationLease;
  /** Pastes held for "Not what happened?", and the ones people kept. */
  misses: MissStore;
  /** The stored account registry (README "Accounts"). */
  accounts: AccountRegistry;
  /** What the queue worker ran, by job id (answers a replayed job with its first outcome). */
  jobRuns: JobRuns;
  /** Per-person usage counts shared by every process (status checks a minute). */
  usage: UsageCounter;
  /** 'embedded' = in-process dynalite under config.store.dataDir; 'external' = DynamoDB (or a compatible endpoint). */
  mode: 'embedded' | 'external';
  tableName: string;
  close(): Promise<void>;
}

export type StoreMode = 'embedded' | 'external';

export interface OpenStoreOptions {
  logger: Logger;
  /** @default embedded when the config names no DynamoDB (no endpoint, no table prefix) and no client is passed */
  mode?: StoreMode;
  /** Use this client instead of building one (one client per process; tests pass an instrumented one). */
  client?: DynamoDB;
  /** Embedded mode only: keep data in memory instead of under config.store.dataDir. */
  inMemory?: boolean;
  now?: () => Date;
}

type StoreConfig = Pick<Config, 'store' | 'defaultRegion'>;

/**
 * Embedded (no `AWS_ENDPOINT_URL_DYNAMODB`, no `DYNAMODB_TABLE_PREFIX`): starts dynalite on 127.0.0.1, creates the
 * table if missing. External: uses the configured endpoint or AWS's, never creates or describes tables.
 */
export async function openStore(config: StoreConfig, options: OpenStoreOptions): Promise<Store> {
  const { logger } = options;
  const embedded = (options.mode ?? storeModeOf(config, options)) === 'embedded';
  const name = tableName(config.store.tablePrefix);
  if (!embedded) {
    const client =
      options.client ??
      new DynamoDB({
        region: config.defaultRegion,
        ...(config.store.endpoint ? { endpoint: config.store.endpoint } : {}),
      });
    const models = createModels(client, name);
    const repository = createDynamoRequestRepository(models, repoOptions(config, options));
    logger.info('state store: external DynamoDB', { table: name, endpoint: config.store.endpoint ?? 'aws' });
    return {
      repository,
      lease: createDynamoActivationLease(client, name),
      misses: createDynamoMissStore(models, options.now ? { now: options.now } : {}),
      accounts: createDynamoAccountRegistry(models, client, options.now),
      jobRuns: createDynamoJobRuns(client, name),
      usage: createDynamoUsageCounter(client, name),
      mode: 'external',
      tableName: name,
      close: async () => {
        if (!options.client) client.destroy();
      },
    };
  }
  // Loaded only here: dynalite and LevelDB are local-only and must not be on the production (Lambda) path.
  const { startEmbeddedDynamoDb } = await import('./embedded-dynamodb.js');
  const server = await startEmbeddedDynamoDb(options.inMemory ? {} : { dataDir: config.store.dataDir });
  // dynalite checks only the shape of a signature, so fixed local credentials are enough.
  const client = new DynamoDB({
    region: config.defaultRegion,
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
  });
  try {
    // Embedded mode only: created on first start; later starts find it in the data folder.
    await createTableIfMissing(client, name);
  } catch (err) {
    client.destroy();
    await server.close();
    throw err;
  }
  const models = createModels(client, name);
  const repository = createDynamoRequestRepository(models, repoOptions(config, options));
  logger.info('state store: embedded dynalite', {
    table: name,
    dataDir: options.inMemory ? '(memory)' : config.store.dataDir,
  });
  return {
    repository,
    lease: createDynamoActivationLease(client, name),
    misses: createDynamoMissStore(models, options.now ? { now: options.now } : {}),
    accounts: createDynamoAccountRegistry(models, client, options.now),
    jobRuns: createDynamoJobRuns(client, name),
    usage: createDynamoUsageCounter(client, name),
    mode: 'embedded',
    tableName: name,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

/** The mode the config asks for: external as soon as it names a DynamoDB endpoint or table prefix. */
export function storeModeOf(config: StoreConfig, options: Pick<OpenStoreOptions, 'client'> = {}): StoreMode {
  return config.store.endpoint || config.store.tablePrefix || options.client ? 'external' : 'embedded';
}

function repoOptions(config: StoreConfig, options: OpenStoreOptions) {
  return {
    requestTtlDays: config.store.requestTtlDays,
    idempotencyTtlHours: config.store.idempotencyTtlHours,
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
  };
}
