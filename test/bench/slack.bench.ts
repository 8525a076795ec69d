// npm run bench:slack — ack latency of signed `/bedrock why` requests at our Bolt HTTP receiver, beside a bare Bolt
// app (same receiver type, no-op command handler) in the same process and run. Loopback only, bounded counts.
// Phases per app: sequential, then 50 in flight. Prints a table, and last one JSON line.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { App, HTTPReceiver } from '@slack/bolt';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { silentLogger } from '../../src/log.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import { createApp, SLACK_EVENTS_PATH } from '../../src/slack/create-app.js';
import { createMemoryDeliveryLedger } from '../../src/slack/delivery-ledger.js';
import { startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import { type SignedRequest, signSlashCommand } from '../support/slack/signer.js';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 5000);
/** Each phase is split into rounds that alternate between the apps, so load drift on a shared machine hits both. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const IN_FLIGHT = 50;
const CORPUS = new URL('../fixtures/errors-dev.jsonl', import.meta.url);

const slackApi = await startFakeSlackApi();

function errorTexts(): string[] {
  return readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

async function startOurs(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { app, init } = createApp({
    diagnose,
    checkStatus: async () => {
      throw new Error('not used by /bedrock why');
    },
    deliveries: createMemoryDeliveryLedger(),
    logger: silentLogger,
    defaultRegion: 'us-east-1',
    slack: { botToken: TOKEN, signingSecret: SECRET, apiUrl: slackApi.apiUrl },
  });
  await init();
  return listen(app);
}

async function startBare(): Promise<{ url: string; stop: () => Promise<void> }> {
  const log = boltLogger(silentLogger);
  const app = new App({
    token: TOKEN,
    logger: log,
    clientOptions: { slackApiUrl: slackApi.apiUrl },
    receiver: new HTTPReceiver({ signingSecret: SECRET, endpoints: SLACK_EVENTS_PATH, logger: log }),
  });
  app.command('/bedrock', async ({ ack }) => {
    await ack();
  });
  return listen(app);
}

async function listen(app: App) {
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`, stop: () => app.stop() as Promise<void> };
}

function requests(count: number, texts: string[]): SignedRequest[] {
  const responseUrl = slackApi.responseUrl('bench');
  return Array.from({ length: count }, (_, i) =>
    signSlashCommand(SECRET, { text: `why ${texts[i % texts.length]}`, response_url: responseUrl }),
  );
}

// The load generator runs in a worker thread, so its own work does not sit on the servers' event loop.
const CLIENT = `
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
parentPort.on('message', async ({ url, reqs, inFlight }) => {
  const latencies = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < reqs.length) {
      const r = reqs[next++];
      const t = performance.now();
      const res = await fetch(url, { method: 'POST', headers: r.headers, body: r.body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error('unexpected HTTP ' + res.status);
      latencies.push(performance.now() - t);
    }
  }));
  parentPort.postMessage({ latencies, seconds: (performance.now() - start) / 1000 });
});
`;
const client = new Worker(CLIENT, { eval: true });

function load(url: string, reqs: SignedRequest[], inFlight: number): Promise<{ latencies: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    client.once('message', resolve);
    client.once('error', reject);
    client.postMessage({ url, reqs, inFlight });
  });
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 100) / 100;

const texts = errorTexts();
const ours = await startOurs();
const bare = await startBare();

// Warm-up: JIT, sockets, Bolt's cached auth.test.
await load(ours.url, requests(200, texts), 1);
await load(bare.url, requests(200, texts), 1);

async function phase(count: number, inFlight: number) {
  const pooled = { ours: { latencies: [] as number[], seconds: 0 }, bare: { latencies: [] as number[], seconds: 0 } };
  const perRound = Math.ceil(count / ROUNDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    // Swap who goes first each round.
    const order = round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
    for (const who of order) {
      const result = await load(who === 'ours' ? ours.url : bare.url, requests(perRound, texts), inFlight);
      pooled[who].latencies.push(...result.latencies);
      pooled[who].seconds += result.seconds;
    }
  }
  return pooled;
}

const seq = await phase(SEQUENTIAL, 1);
const con = await phase(CONCURRENT, IN_FLIGHT);
const [seqOurs, seqBare, conOurs, conBare] = [seq.ours, seq.bare, con.ours, con.bare];

const rows = [
  ['sequential', 'bedrock', seqOurs.latencies, seqOurs.latencies.length / seqOurs.seconds],
  ['sequential', 'bare', seqBare.latencies, seqBare.latencies.length / seqBare.seconds],
  [`${IN_FLIGHT} in flight`, 'bedrock', conOurs.latencies, conOurs.latencies.length / conOurs.seconds],
  [`${IN_FLIGHT} in flight`, 'bare', conBare.latencies, conBare.latencies.length / conBare.seconds],
] as const;

console.log(`/bedrock why ack latency, ${texts.length} corpus errors cycled; loopback, Node ${process.version}`);
console.log('phase          app      n     p50 ms   p99 ms   req/s');
for (const [phase, app, lat, rps] of rows) {
  console.log(
    `${phase.padEnd(14)} ${app.padEnd(8)} ${String(lat.length).padEnd(5)} ${round(pct(lat, 50)).toFixed(2).padStart(7)}  ${round(pct(lat, 99)).toFixed(2).padStart(7)}  ${Math.round(rps).toString().padStart(6)}`,
  );
}

const ackP99 = pct(conOurs.latencies, 99);
const bareP99 = pct(conBare.latencies, 99);
console.log(
  `sequential p99 ratio ${round(pct(seqOurs.latencies, 99) / pct(seqBare.latencies, 99))}; ${IN_FLIGHT}-in-flight p99 ratio ${round(ackP99 / bareP99)} (target ≤ 1.5)`,
);

await ours.stop();
await bare.stop();
await slackApi.close();
await client.terminate();

console.log(
  JSON.stringify({
    ack_p99_ms: round(ackP99),
    bare_ack_p99_ms: round(bareP99),
    ratio_p99: round(ackP99 / bareP99),
    req_per_s: Math.round(conOurs.latencies.length / conOurs.seconds),
  }),
);
