// `bedrock-doctor misses export` run in-process through `main` against a real dynalite table, filled through the
// store the bot uses (held pastes, kept ones, and one kept so long ago that it has expired).

import { PassThrough, Readable } from 'node:stream';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../handlers/cli/io.js';
import { main } from '../../../handlers/cli.js';
import { diagnosedAs } from '../../../src/access/diagnosis-misses.js';
import { loadConfig } from '../../../src/config.js';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import { CATEGORIES } from '../../../src/diagnosis/types.js';
import { silentLogger } from '../../../src/log.js';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../../src/store/embedded-dynamodb.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { createTableIfMissing, tableName } from '../../../src/store/table-design.js';

const DENIED =
  'An error occurred (AccessDeniedException) when calling the InvokeModel operation: User: ' +
  'arn:aws:sts::123456789012:assumed-role/app/s1 is not authorized to perform: bedrock:InvokeModel on resource: ' +
  'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1 RequestId: 0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

let server: EmbeddedDynamoDb;
let env: Record<string, string>;
const opened: Store[] = [];

const clients: DynamoDB[] = [];
function client(): DynamoDB {
  const made = new DynamoDB({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  clients.push(made);
  return made;
}

/** A store on the same table as the CLI's, the way the bot opens it (optionally with its clock elsewhere in time). */
async function storeAt(now?: () => Date): Promise<Store> {
  const store = await openStore(loadConfig(env), { logger: silentLogger, client: client(), ...(now ? { now } : {}) });
  opened.push(store);
  return store;
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  err.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const io: CliIo = { stdin: Readable.from([]), stdout: out, stderr: err, env };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  server = await startEmbeddedDynamoDb();
  env = {
    AWS_ENDPOINT_URL_DYNAMODB: server.endpoint,
    DYNAMODB_TABLE_PREFIX: 'cli-',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  await createTableIfMissing(client(), tableName('cli-'));
});
afterAll(async () => {
  for (const store of opened) await store.close();
  for (const made of clients) made.destroy();
  await server.close();
});

describe('bedrock-doctor misses export', () => {
  it('prints each kept paste as a corpus row to be labelled, with what the bot said; held and expired ones stay out', async () => {
    // Prepare
    const store = await storeAt();
    const diagnosis = diagnose(DENIED);
    const paste = (id: string, text: string) => ({ id, userId: 'U0USER0001', text, diagnosed: diagnosedAs(diagnosis) });
    await store.misses.hold(paste('7d0c6f51-0000-4000-8000-000000000001', DENIED), 1800);
    await store.misses.keep('7d0c6f51-0000-4000-8000-000000000001', { userId: 'U0USER0001' }, 14);
    await store.misses.hold(paste('7d0c6f51-0000-4000-8000-000000000002', 'only held, never pressed'), 1800);
    const longAgo = await storeAt(() => new Date('2020-01-01T00:00:00.000Z'));
    await longAgo.misses.hold(paste('7d0c6f51-0000-4000-8000-000000000003', 'kept in 2020'), 1800);
    await longAgo.misses.keep('7d0c6f51-0000-4000-8000-000000000003', { userId: 'U0USER0001' }, 14);

    // Act
    const { code, stdout, stderr } = await run(['misses', 'export']);

    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('1 kept paste exported.\n');
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(Object.keys(row ?? {})).toEqual(['id', 'text', 'source', 'category', 'accept', 'facts', 'diagnosed']);
    expect(row?.id).toMatch(/^miss-\d{8}-7d0c6f51$/);
    expect(row).toMatchObject({
      text: DENIED,
      category: null,
      accept: [],
      facts: {
        exception: 'AccessDeniedException',
        operation: 'InvokeModel',
        principal_arn: 'arn:aws:sts::123456789012:assumed-role/app/s1',
        missing_actions: ['bedrock:InvokeModel'],
      },
      diagnosed: { category: diagnosis.category, cause: diagnosis.cause, title: diagnosis.title },
    });
    expect(CATEGORIES).toContain((row?.diagnosed as { category: string }).category);
    expect(String(row?.source)).toMatch(/^slack:not-what-happened:\d{4}-\d\d-\d\dT/);
  });

  it('refuses anything but "export" with its usage', async () => {
    const { code, stderr } = await run(['misses']);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: bedrock-doctor misses export');
  });
});
