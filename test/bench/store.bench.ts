// Benchmark: a transition and an open-requests query through the store (dynamoose) beside the same DynamoDB calls
// made with the raw document client, on one embedded dynalite with the same data. Runs are interleaved after a
// warm-up. Both sides validate what they read with the same zod schema, so the ratio isolates dynamoose's cost.
// Usage: npm run bench:store [-- --iterations 300]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { OpenOrJoinInput } from '../../src/access/request-repository.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startEmbeddedDynamoDb } from '../../src/store/embedded-dynamodb.js';
import { openStore } from '../../src/store/open-store.js';
import { requestFromItem } from '../../src/store/records.js';
import { createTableIfMissing, GSI_OPEN_AND_USER, index, keys, tableName } from '../../src/store/table-design.js';

const argIndex = process.argv.indexOf('--iterations');
const ITERATIONS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 300;
const WARMUP = 50;
const OPEN_REQUESTS = 50;

function input(n: number): OpenOrJoinInput {
  const model = `anthropic.bench-${n}-v1:0`;
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    modelRef: model,
    baseModelId: model,
    provider: 'Anthropic',
    requester: { userId: `U0BENCH${String(n).padStart(5, '0')}`, teamId: 'T0BENCH001', channelId: 'D0BENCH001' },
    reason: 'Benchmark request with a realistic, medium-length reason for needing the model.',
  };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-bench-'));
  const server = await startEmbeddedDynamoDb({ dataDir });
  const table = tableName('bench-');
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  // One low-level client shared by both sides: same connection pool, same SDK retry and serialisation stack.
  const client = new DynamoDB({ region: 'us-east-1', endpoint: server.endpoint, credentials });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  await createTableIfMissing(client, table);
  const config = loadConfig({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, DYNAMODB_TABLE_PREFIX: 'bench-' });
  const store = await openStore(config, { logger: silentLogger, client });
  const repo = store.repository;

  try {
    // Same data for both: OPEN_REQUESTS open requests for the query; fresh REQUESTED requests for each transition.
    let n = 0;
    for (let i = 0; i < OPEN_REQUESTS; i++) await repo.openOrJoin(input(n++));
    const total = WARMUP + ITERATIONS;

    const rawListOpen = async () => {
      const out = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: GSI_OPEN_AND_USER,
            KeyConditionExpression: 'gsi1pk = :open',
            ExpressionAttributeValues: { ':open': index.openPk },
            ExclusiveStartKey,
          }),
        );
        out.push(...(page.Items ?? []).map(requestFromItem));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out;
    };

    const rawApprove = async (id: string) => {
      const got = await doc.send(new GetCommand({ TableName: table, Key: keys.request(id), ConsistentRead: true }));
      const current = requestFromItem(got.Item);
      const now = new Date().toISOString();
      const version = current.version + 1;
      const actor = { userId: 'U0APPROVER', teamId: 'T0BENCH001' };
      const key = keys.auditForVersion(id, version);
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: keys.request(id),
                UpdateExpression:
                  'SET #state = :to, #version = :version, lastActor = :actor, updatedAt = :now, decidedBy = :actor, decidedAt = :now',
                ConditionExpression: '#state = :from AND #version = :expected',
                ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
                ExpressionAttributeValues: {
                  ':to': 'APPROVED',
                  ':from': 'REQUESTED',
                  ':version': version,
                  ':expected': current.version,
                  ':actor': actor,
                  ':now': now,
                },
              },
            },
            {
              Put: {
                TableName: table,
                Item: {
                  ...key,
                  kind: 'audit',
                  id: key.sk.slice(6),
                  requestId: id,
                  at: now,
                  actor,
                  action: 'approved',
                  slack: { teamId: 'T0BENCH001', channelId: 'C0BENCH001' },
                  fromState: 'REQUESTED',
                  toState: 'APPROVED',
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    };

    const storeApprove = async (id: string) => {
      const result = await repo.transition(id, {
        from: 'REQUESTED',
        to: 'APPROVED',
        actor: { userId: 'U0APPROVER', teamId: 'T0BENCH001' },
        slack: { teamId: 'T0BENCH001', channelId: 'C0BENCH001' },
      });
      if (!result.ok) throw new Error(`transition failed: ${result.reason}`);
    };

    // Queries first (the open set does not change while they run), then transitions.
    const q = { store: [] as number[], raw: [] as number[] };
    for (let i = 0; i < total; i++) {
      const storeFirst = i % 2 === 0;
      const a = await time(storeFirst ? () => repo.listOpen() : rawListOpen);
      const b = await time(storeFirst ? rawListOpen : () => repo.listOpen());
      if (i < WARMUP) continue;
      q.store.push(storeFirst ? a : b);
      q.raw.push(storeFirst ? b : a);
    }
    // Created after the query runs, so the open set queried above stays at OPEN_REQUESTS.
    const forStore: string[] = [];
    const forRaw: string[] = [];
    for (let i = 0; i < total; i++) {
      forStore.push((await repo.openOrJoin(input(n++))).request.id);
      forRaw.push((await repo.openOrJoin(input(n++))).request.id);
    }
    const t = { store: [] as number[], raw: [] as number[] };
    for (let i = 0; i < total; i++) {
      const storeFirst = i % 2 === 0;
      const sid = forStore[i] as string;
      const rid = forRaw[i] as string;
      const a = await time(storeFirst ? () => storeApprove(sid) : () => rawApprove(rid));
      const b = await time(storeFirst ? () => rawApprove(rid) : () => storeApprove(sid));
      if (i < WARMUP) continue;
      t.store.push(storeFirst ? a : b);
      t.raw.push(storeFirst ? b : a);
    }

    const ts = summary(t.store);
    const tr = summary(t.raw);
    const qs = summary(q.store);
    const qr = summary(q.raw);
    console.log(`embedded dynalite (LevelDB in ${dataDir}), ${ITERATIONS} measured runs after ${WARMUP} warm-up`);
    console.log(`transition REQUESTED→APPROVED  store p50 ${ts.p50} ms  p99 ${ts.p99} ms`);
    console.log(`                               raw   p50 ${tr.p50} ms  p99 ${tr.p99} ms`);
    console.log(`listOpen (${OPEN_REQUESTS} open)          store p50 ${qs.p50} ms  p99 ${qs.p99} ms`);
    console.log(`                               raw   p50 ${qr.p50} ms  p99 ${qr.p99} ms`);
    console.log(
      `ratios store/raw: transition p50 ${round(ts.p50 / tr.p50)} p99 ${round(ts.p99 / tr.p99)}; query p50 ${round(qs.p50 / qr.p50)} p99 ${round(qs.p99 / qr.p99)}`,
    );
    console.log(
      JSON.stringify({
        transition_p99_ms: ts.p99,
        raw_transition_p99_ms: tr.p99,
        ratio_p99: round(ts.p99 / tr.p99),
        query_p99_ms: qs.p99,
      }),
    );
  } finally {
    await store.close();
    client.destroy();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
