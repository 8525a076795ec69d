// Issue 9: a transaction on the embedded store commits all of its writes or none. The store runs in a child process
// on a persistent data folder while concurrent transitions go through the real repository; the child is SIGKILLed at
// random moments, started again on the same folder, and every request, its audit trail, its requester pointer and
// its open slot must agree after each restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATES, type RequestRepository, type RequestState } from '../../../src/access/request-repository.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/open-store.js';
import { tableName } from '../../../src/store/table-design.js';

const STORE_PROCESS = join(import.meta.dirname, 'store-process.ts');
/** Wall-clock budget for the kill loop (the whole test stays under ~30 s). */
const BUDGET_MS = 18_000;
const MAX_KILLS = 30;
const LANES = 8;
const RAW_LANES = 4;
const TRIPLE = ['A', 'B', 'C'];
const MODELS = ['anthropic.crash-a-v1:0', 'anthropic.crash-b-v1:0', 'anthropic.crash-c-v1:0'];

type Item = Record<string, unknown>;
/** Shared by the lanes of one run: the signal to stop, and how many transactions they committed so far. */
interface Lanes {
  now: boolean;
  committed: number;
}

describe('embedded store: a transaction survives SIGKILL whole or not at all', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-crash-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps requests, audit trails and open slots in agreement across repeated kills mid-transition', async () => {
    const started = Date.now();
    let kills = 0;
    let transitions = 0;
    const problems: string[] = [];
    while (Date.now() - started < BUDGET_MS && kills < MAX_KILLS && problems.length === 0) {
      const { child, endpoint } = await startStoreProcess(dataDir);
      problems.push(...(await disagreementsAt(endpoint)).map((p) => `after kill ${kills}: ${p}`));
      const client = storeClient(endpoint);
      const store = await openStore(loadConfig({ AWS_ENDPOINT_URL_DYNAMODB: endpoint }), {
        logger: silentLogger,
        client,
      });
      const stop = { now: false, committed: 0 };
      const lanes = [
        ...Array.from({ length: LANES }, (_, lane) => drive(store.repository, lane, stop)),
        // Cheap three-item transactions beside them keep the store busy, so kills often land inside one.
        ...Array.from({ length: RAW_LANES }, (_, lane) => driveRaw(client, lane, stop)),
      ];
      // Kill at a random moment once transactions are flowing (a loaded machine can take a while to get there).
      for (let waited = 0; stop.committed < 3 && waited < 5_000; waited += 10) await sleep(10);
      await sleep(Math.random() * 400);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      stop.now = true;
      transitions += (await Promise.all(lanes)).reduce((a, b) => a + b, 0);
      await store.close();
      client.destroy();
      kills++;
    }
    const { child, endpoint } = await startStoreProcess(dataDir);
    problems.push(...(await disagreementsAt(endpoint)).map((p) => `after kill ${kills}: ${p}`));
    child.kill('SIGKILL');
    expect(problems).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(transitions).toBeGreaterThan(0);
  }, 40_000);
});

/** dynalite checks only the shape of a signature; one attempt per call, so calls into a killed store fail fast. */
function storeClient(endpoint: string): DynamoDB {
  return new DynamoDB({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
    maxAttempts: 1,
  });
}

async function startStoreProcess(dataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', STORE_PROCESS, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /endpoint (\S+)\n/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the store process exited (${code}): ${stderr.slice(0, 2000)}`)));
  });
  return { child, endpoint };
}

/** One lane: opens (or joins) a request and walks it to a final state, again and again, until told to stop. */
async function drive(repo: RequestRepository, lane: number, stop: Lanes): Promise<number> {
  let committed = 0;
  const actor = { userId: 'U0APPROVER' };
  for (let round = 0; !stop.now; round++) {
    try {
      const baseModelId = MODELS[(lane + round) % MODELS.length] as string;
      const { request } = await repo.openOrJoin({
        accountId: '123456789012',
        region: 'us-east-1',
        modelRef: baseModelId,
        baseModelId,
        provider: 'Anthropic',
        requester: { userId: `U0LANE${lane}`, teamId: 'T0TEAM0001' },
        reason: 'crash test',
      });
      // A joined request may have been left half-way by a killed run: carry on from its state.
      const ending: RequestState = round % 2 === 0 ? 'ACTIVE' : 'FAILED';
      const next: Partial<Record<RequestState, RequestState>> =
        round % 3 === 0 && request.state === 'REQUESTED'
          ? { REQUESTED: 'REJECTED' }
          : { REQUESTED: 'APPROVED', APPROVED: 'ACTIVATING', ACTIVATING: ending };
      for (let from = request.state, to = next[from]; to && !stop.now; from = to, to = next[from]) {
        const result = await repo.transition(request.id, { from, to, actor });
        if (!result.ok) break;
        committed++;
        stop.committed++;
      }
    } catch {
      // The store was killed under this call: expected; the next round (or the next start) carries on.
      await sleep(5);
    }
  }
  return committed;
}

/** One lane of bare transactions: three items written together, each holding the same counter. */
async function driveRaw(client: DynamoDB, lane: number, stop: Lanes): Promise<number> {
  let committed = 0;
  for (let n = Date.now(); !stop.now; n++) {
    try {
      await client.transactWriteItems({
        TransactItems: TRIPLE.map((part) => ({
          Put: {
            TableName: tableName(undefined),
            Item: { pk: { S: `TRIPLE#${lane}` }, sk: { S: part }, n: { N: String(n) } },
          },
        })),
      });
      committed++;
      stop.committed++;
    } catch {
      await sleep(5);
    }
  }
  return committed;
}

/** Reads every item from a freshly started store and lists what disagrees. */
async function disagreementsAt(endpoint: string): Promise<string[]> {
  const client = storeClient(endpoint);
  try {
    const doc = DynamoDBDocument.from(client);
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await doc.scan({ TableName: tableName(undefined), ConsistentRead: true, ExclusiveStartKey: start });
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return disagreements(items);
  } finally {
    client.destroy();
  }
}

function disagreements(items: Item[]): string[] {
  const out: string[] = [];
  const requests = new Map<string, Item>();
  const audits = new Map<string, Item[]>();
  const participants = new Set<string>();
  const slots = new Map<string, Item>();
  const triples = new Map<string, string[]>();
  for (const item of items) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (sk === 'REQUEST') requests.set(pk, item);
    else if (sk.startsWith('AUDIT#')) audits.set(pk, [...(audits.get(pk) ?? []), item]);
    else if (sk.startsWith('USER#')) participants.add(`${pk}|${sk}`);
    else if (sk === 'SLOT') slots.set(pk, item);
    else if (pk.startsWith('TRIPLE#')) triples.set(pk, [...(triples.get(pk) ?? []), `${sk}=${item.n}`]);
  }
  for (const [pk, parts] of triples) {
    const counters = new Set(parts.map((p) => p.split('=')[1]));
    if (parts.length !== TRIPLE.length || counters.size !== 1) out.push(`${pk} was written in part: ${parts.sort()}`);
  }
  for (const [pk, request] of requests) {
    const version = Number(request.version);
    // One event per version (AUDIT#<version>); notes such as a join carry more (AUDIT#<version>#<time>#<nonce>).
    const trail = (audits.get(pk) ?? [])
      .filter((a) => String(a.sk).split('#').length === 2)
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    const versions = trail.map((a) => Number(String(a.sk).split('#')[1]));
    const expected = Array.from({ length: version }, (_, i) => i + 1);
    if (versions.join() !== expected.join()) {
      out.push(`${pk} is at version ${version} (${request.state}) but its audit trail has versions [${versions}]`);
    }
    const last = trail.at(-1);
    if (last && last.toState !== request.state) {
      out.push(`${pk} is ${request.state} but its last audit event says ${last.toState}`);
    }
    const requester = (request.requester as { userId?: string } | undefined)?.userId;
    if (!participants.has(`${pk}|USER#${requester}`)) out.push(`${pk} has no pointer for its requester ${requester}`);
    const slotPk = `OPEN#${request.accountId}#${request.region}#${request.baseModelId}`;
    const slot = slots.get(slotPk);
    const open = OPEN_STATES.includes(request.state as RequestState);
    if (open && slot?.requestId !== request.id) {
      out.push(`${pk} is open (${request.state}) but the slot ${slotPk} holds ${slot?.requestId ?? 'nothing'}`);
    }
  }
  for (const pk of audits.keys()) {
    if (!requests.has(pk)) out.push(`audit events for ${pk} have no request`);
  }
  for (const [slotPk, slot] of slots) {
    const holder = requests.get(`REQ#${slot.requestId}`);
    if (!holder) out.push(`slot ${slotPk} holds ${slot.requestId}, which does not exist`);
    else if (!OPEN_STATES.includes(holder.state as RequestState)) {
      out.push(`slot ${slotPk} is still held by ${slot.requestId}, which is ${holder.state}`);
    }
  }
  return out;
}
