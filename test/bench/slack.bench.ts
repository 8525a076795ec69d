// npm run bench:slack — ack latency of signed `/bedrock why` requests at our Bolt HTTP receiver, beside a bare Bolt
// app (same receiver type, no-op command handler) in the same process and run. Loopback only, bounded counts.
// Phases per app: sequential, then 50 in flight. Prints a table, and last one JSON line.
// A third app measures the design we did not choose — ack empty at once, diagnose in a background job and post the
// card to the response URL — so the choice rests on numbers. Its response URL is a sink in the client's thread.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { App, HTTPReceiver } from '@slack/bolt';
import type { MissStore } from '../../src/access/diagnosis-misses.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { createInProcessJobQueue } from '../../src/jobs/job-queue.js';
import { silentLogger } from '../../src/log.js';
import { diagnosisCard } from '../../src/slack/blocks/diagnosis-card.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import { createApp, SLACK_EVENTS_PATH } from '../../src/slack/create-app.js';
import { createMemoryDeliveryLedger } from '../../src/slack/delivery-ledger.js';
import { createResponseUrlPoster, slackResponseUrls } from '../../src/slack/response-url.js';
import { slackTextToPlain } from '../../src/slack/slack-text.js';
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

/**
 * Where our app holds pastes for "Not what happened?". The hold is written after the ack, to DynamoDB in production;
 * here it is counted in memory, so the figures are the ack path's (the card carries the button and its notice).
 */
let held = 0;
const holds: MissStore = {
  hold: async () => {
    held += 1;
  },
  keep: async () => ({ kept: false, reason: 'gone' }),
  listKept: async () => [],
};

async function startOurs(): Promise<Target> {
  const { app, init } = createApp({
    diagnose,
    checkStatus: async () => {
      throw new Error('not used by /bedrock why');
    },
    deliveries: createMemoryDeliveryLedger(),
    logger: silentLogger,
    defaultRegion: 'us-east-1',
    slack: { botToken: TOKEN, signingSecret: SECRET, apiUrl: slackApi.apiUrl },
    misses: { store: holds, keepDays: 14 },
  });
  await init();
  return listen(app);
}

async function startBare(): Promise<Target> {
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

type Target = { url: string; stop: () => Promise<void>; idle: () => Promise<void> };

/** The alternative design: same receiver and options as ours, but the answer goes out after the ack. */
async function startDeferred(): Promise<Target> {
  const log = boltLogger(silentLogger);
  const post = createResponseUrlPoster({ allows: slackResponseUrls(slackApi.apiUrl) });
  const jobs = createInProcessJobQueue<{ text: string; responseUrl: string }>({
    logger: silentLogger,
    maxWaiting: 100_000,
    run: async ({ text, responseUrl }) => {
      const pasted = slackTextToPlain(text.replace(/^why\s+/, ''));
      await post(responseUrl, { ...diagnosisCard({ diagnosis: diagnose(pasted), pasted, showExcerpt: true }) });
    },
  });
  const app = new App({
    token: TOKEN,
    logger: log,
    convoStore: false,
    clientOptions: { slackApiUrl: slackApi.apiUrl },
    receiver: new HTTPReceiver({ signingSecret: SECRET, endpoints: SLACK_EVENTS_PATH, logger: log }),
  });
  app.command('/bedrock', async ({ ack, command }) => {
    await ack();
    await jobs.enqueue({ text: command.text, responseUrl: command.response_url });
  });
  return { ...(await listen(app)), idle: () => jobs.idle() };
}

async function listen(app: App) {
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`,
    stop: () => app.stop() as Promise<void>,
    idle: async () => {},
  };
}

function requests(count: number, texts: string[]): SignedRequest[] {
  const responseUrl = `http://127.0.0.1:${sinkPort}/response`;
  return Array.from({ length: count }, (_, i) =>
    signSlashCommand(SECRET, { text: `why ${texts[i % texts.length]}`, response_url: responseUrl }),
  );
}

// The load generator runs in a worker thread, so its own work does not sit on the servers' event loop.
const CLIENT = `
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const http = require('node:http');
const sink = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); });
sink.listen(0, '127.0.0.1', () => parentPort.postMessage({ sinkPort: sink.address().port }));
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
const { sinkPort } = (await new Promise((resolve) => client.once('message', resolve))) as { sinkPort: number };

function load(url: string, reqs: SignedRequest[], inFlight: number): Promise<{ latencies: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    // Each round removes its own error listener, so rounds do not pile listeners on the worker.
    const onError = (err: Error) => reject(err);
    client.once('error', onError);
    client.once('message', (result) => {
      client.off('error', onError);
      resolve(result);
    });
    client.postMessage({ url, reqs, inFlight });
  });
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 100) / 100;

type Pooled = { latencies: number[]; seconds: number; busyMs: number };
const APPS = ['ours', 'bare', 'deferred'] as const;
type Who = (typeof APPS)[number];

const texts = errorTexts();
const targets: Record<Who, Target> = {
  ours: await startOurs(),
  bare: await startBare(),
  deferred: await startDeferred(),
};

// Warm-up: JIT, sockets, Bolt's cached auth.test.
for (const who of APPS) {
  await load(targets[who].url, requests(200, texts), 1);
  await targets[who].idle();
}

async function phase(count: number, inFlight: number): Promise<Record<Who, Pooled>> {
  const empty = (): Pooled => ({ latencies: [], seconds: 0, busyMs: 0 });
  const pooled: Record<Who, Pooled> = { ours: empty(), bare: empty(), deferred: empty() };
  const perRound = Math.ceil(count / ROUNDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate who goes first each round.
    const order = APPS.map((_, i) => APPS[(i + round) % APPS.length] as Who);
    for (const who of order) {
      const target = targets[who];
      const reqs = requests(perRound, texts);
      // Event-loop busy time of the server thread (background jobs included): the server's own cost per request.
      const before = performance.eventLoopUtilization();
      const result = await load(target.url, reqs, inFlight);
      await target.idle();
      const elu = performance.eventLoopUtilization(before);
      pooled[who].latencies.push(...result.latencies);
      pooled[who].seconds += result.seconds;
      pooled[who].busyMs += elu.active;
    }
  }
  return pooled;
}

const seq = await phase(SEQUENTIAL, 1);
const con = await phase(CONCURRENT, IN_FLIGHT);

const [seqOurs, seqBare, conOurs, conBare] = [seq.ours, seq.bare, con.ours, con.bare];
const rows = [
  ['sequential', 'bedrock', seqOurs],
  ['sequential', 'bare', seqBare],
  ['sequential', 'deferred', seq.deferred],
  [`${IN_FLIGHT} in flight`, 'bedrock', conOurs],
  [`${IN_FLIGHT} in flight`, 'bare', conBare],
  [`${IN_FLIGHT} in flight`, 'deferred', con.deferred],
] as const;

console.log(`/bedrock why ack latency, ${texts.length} corpus errors cycled; loopback, Node ${process.version}`);
console.log('phase          app      n     p50 ms   p99 ms   req/s   server busy µs/req');
for (const [phase, app, r] of rows) {
  const n = r.latencies.length;
  console.log(
    `${phase.padEnd(14)} ${app.padEnd(8)} ${String(n).padEnd(5)} ${round(pct(r.latencies, 50)).toFixed(2).padStart(7)}  ${round(pct(r.latencies, 99)).toFixed(2).padStart(7)}  ${Math.round(
      n / r.seconds,
    )
      .toString()
      .padStart(6)}   ${Math.round((r.busyMs * 1000) / n)
      .toString()
      .padStart(6)}`,
  );
}

const ackP99 = pct(conOurs.latencies, 99);
const bareP99 = pct(conBare.latencies, 99);
console.log(
  `bedrock/bare p99 ratio: sequential ${round(pct(seqOurs.latencies, 99) / pct(seqBare.latencies, 99))}, ` +
    `${IN_FLIGHT} in flight ${round(ackP99 / bareP99)} (target ≤ 1.3); ` +
    `deferred/bare: sequential ${round(pct(seq.deferred.latencies, 99) / pct(seqBare.latencies, 99))}, ` +
    `${IN_FLIGHT} in flight ${round(pct(con.deferred.latencies, 99) / bareP99)}`,
);

const reqPerS = conOurs.latencies.length / conOurs.seconds;
const bareReqPerS = conBare.latencies.length / conBare.seconds;
console.log(
  `bedrock/bare acks per second, ${IN_FLIGHT} in flight: ${round(reqPerS / bareReqPerS)} (target ≥ 0.85); ` +
    `pastes held for "Not what happened?": ${held}`,
);

for (const who of APPS) await targets[who].stop();
await slackApi.close();
await client.terminate();

console.log(
  JSON.stringify({
    ack_p99_ms: round(ackP99),
    bare_ack_p99_ms: round(bareP99),
    ratio_p99: round(ackP99 / bareP99),
    req_per_s: Math.round(reqPerS),
    bare_req_per_s: Math.round(bareReqPerS),
    ratio_req_per_s: round(reqPerS / bareReqPerS),
  }),
);
