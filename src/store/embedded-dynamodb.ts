// The embedded default: dynalite (DynamoDB's API over LevelDB) in-process on a loopback port, so the app keeps
// its state with no AWS account. Persisted under a data folder; in memory when no folder is given (tests).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createTransactionalDynalite } from './dynalite-transactions.js';

// LevelDB as dynalite itself loads it (a dynalite dependency, not ours).
const dynaliteRequire = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const { Level } = dynaliteRequire('level') as {
  Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
};

export interface EmbeddedDynamoDb {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** Stops the server and closes the LevelDB files (so the next start can open them). */
  close(): Promise<void>;
}

/**
 * @param options.dataDir folder for the LevelDB files; omitted → in memory (lost on close)
 */
export async function startEmbeddedDynamoDb(options: { dataDir?: string } = {}): Promise<EmbeddedDynamoDb> {
  let path: string | undefined;
  if (options.dataDir) {
    path = resolve(options.dataDir, 'dynamodb');
    mkdirSync(path, { recursive: true });
    await assertDataFolderFree(path);
  }
  const server = createTransactionalDynalite(path ? { path } : {});
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => {
      closing ??= new Promise<void>((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        // Idle keep-alive sockets from the SDK would otherwise hold close() open until they time out.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** The embedded store's folder is held by another process (LevelDB allows one): `npm start`, most often. */
export class DataFolderInUseError extends Error {
  override readonly name = 'DataFolderInUseError';
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The data folder ${path} is in use by another bedrock-doctor process (or cannot be opened). ` +
        'Stop the other process, or set DATA_DIR to another folder.',
      options,
    );
  }
}

/** dynalite opens LevelDB lazily and a lock failure then crashes the process; probe first for a clear message. */
async function assertDataFolderFree(path: string): Promise<void> {
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (err) {
    throw new DataFolderInUseError(path, { cause: err });
  } finally {
    await probe.close().catch(() => undefined);
  }
}
