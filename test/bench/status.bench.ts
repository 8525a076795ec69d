// `npm run bench:status`: status-check latency against the fake AWS at 50 ms per call (concurrency should keep it
// 2–3 calls deep), and activation time-to-ACTIVE for a 2 s settle delay. Last line: one JSON object of the figures.
import { createAccessServices } from '../../src/runtime/compose-access.js';
import { startFakeAws } from '../fakes/aws/server.js';
import { createStandardWorld, fakeEnv, MODELS, SANDBOX, testConfig, VETTED_FORM } from '../fakes/aws/standard-world.js';

const PER_CALL_MS = 50;
const SETTLE_MS = 2_000;
// Bench poll interval: a quarter of a second shows what the schedule adds on top of the settle delay. The production
// default (ACTIVATION_POLL_INTERVAL_MS=5000) keeps GetFoundationModelAvailability at 12 calls a minute, far from
// throttling, and adds at most ~5 s to a wait that AWS documents as ~2 minutes.
const POLL_INTERVAL_MS = 250;
const STATUS_RUNS = 30;
const ACTIVATION_RUNS = 3;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
const round = (x: number) => Math.round(x);

async function statusBench(label: string, query: { modelRef: string; account?: string; regions?: string[] }) {
  const std = createStandardWorld({ latencyMs: PER_CALL_MS });
  const fake = await startFakeAws(std.world);
  const services = createAccessServices(testConfig(std.accounts), { env: fakeEnv(fake, std.bot), maxAttempts: 1 });
  // Cold first check: new connections and, for a read role, its AssumeRole (cached for the later checks).
  const cold0 = performance.now();
  await services.checkStatus(query);
  console.log(
    `  ${label}: cold first check ${round(performance.now() - cold0)} ms, ${std.world.callDepth()} calls in sequence`,
  );
  const times: number[] = [];
  const depths: number[] = [];
  let calls = 0;
  for (let i = 0; i < STATUS_RUNS; i++) {
    std.world.resetCalls();
    const t0 = performance.now();
    const report = await services.checkStatus(query);
    times.push(performance.now() - t0);
    depths.push(std.world.callDepth());
    calls = std.world.calls.length;
    if (i === 0) console.log(`  ${label}: verdict ${report.verdict}`);
  }
  services.close();
  await fake.close();
  const ms = p50(times);
  console.log(
    `  ${label}: p50 ${round(ms)} ms over ${STATUS_RUNS} runs; ${calls} AWS calls per check, ${p50(depths)} in sequence ` +
      `(${(ms / PER_CALL_MS).toFixed(1)} × per-call latency; sequential would be ${calls * PER_CALL_MS} ms)`,
  );
  return ms;
}

async function activationBench(latencyMs: number) {
  const times: number[] = [];
  for (let i = 0; i < ACTIVATION_RUNS; i++) {
    const std = createStandardWorld({ settleMs: SETTLE_MS, latencyMs });
    std.world.putUseCaseForm(SANDBOX, VETTED_FORM);
    const fake = await startFakeAws(std.world);
    const services = createAccessServices(
      testConfig(std.accounts, { pollIntervalMs: POLL_INTERVAL_MS, deadlineMs: 60_000 }),
      { env: fakeEnv(fake, std.bot), maxAttempts: 1 },
    );
    const t0 = performance.now();
    const result = await services.activateModel({ requestId: `bench-${i}`, modelRef: MODELS.haiku, approver: 'bench' });
    const ms = performance.now() - t0;
    if (result.outcome !== 'ACTIVE') throw new Error(`activation ended ${result.outcome}`);
    times.push(ms);
    const polls = std.world.callCount('GetFoundationModelAvailability');
    console.log(`  run ${i + 1} (${latencyMs} ms/call): ACTIVE after ${round(ms)} ms, ${polls} availability reads`);
    services.close();
    await fake.close();
  }
  return p50(times);
}

console.log(`Status check, fake AWS at ${PER_CALL_MS} ms per call`);
const statusMs = await statusBench('Anthropic model, 1 region, own credentials', {
  modelRef: MODELS.haiku,
  regions: ['us-east-1'],
});
await statusBench('Anthropic model, 3 regions', { modelRef: MODELS.haiku });
await statusBench('via read role (prod), 2 regions', { modelRef: MODELS.cohere, account: 'prod' });
await statusBench('unknown model (suggestions need one more call)', {
  modelRef: 'anthropic.claude-3-haiku-20240307-v9:0',
  regions: ['us-east-1'],
});

console.log(
  `\nActivation to ACTIVE, settle delay ${SETTLE_MS} ms, poll interval ${POLL_INTERVAL_MS} ms (confirm read after ${POLL_INTERVAL_MS / 4} ms)`,
);
const activationMs = await activationBench(0);
const withLatency = await activationBench(PER_CALL_MS);
console.log(
  `  p50 ${round(activationMs)} ms with no call latency (target ≤ ${SETTLE_MS + POLL_INTERVAL_MS} ms = settle + one poll interval); ` +
    `p50 ${round(withLatency)} ms at ${PER_CALL_MS} ms per call (5 calls up to and including CreateFoundationModelAgreement, and each poll costs a call)`,
);

console.log(
  JSON.stringify({
    status_p50_ms: round(statusMs),
    per_call_ms: PER_CALL_MS,
    activation_ms: round(activationMs),
    settle_ms: SETTLE_MS,
    poll_interval_ms: POLL_INTERVAL_MS,
  }),
);
