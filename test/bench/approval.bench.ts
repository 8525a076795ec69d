// npm run bench:approval — the approval flow end to end on this machine: the fake AWS (agreements settle after
// 2000 ms, the activator polls every 250 ms), the embedded store, the real Bolt receiver and the fake Slack Web API.
// Per round: one request is opened, then 20 approvers press Approve at the same moment. Measured: the HTTP ack time
// of every press (p50/p99 over all rounds), and the time from the presses to the chat.update that shows the card
// as active. Prints one line per round and, last, one JSON line.
import { performance } from 'node:perf_hooks';
import { ACTION } from '../../src/slack/action-ids.js';
import { startApprovalWorld } from '../support/approval/approval-world.js';
import { cardButtonPayload, signInteraction } from '../support/slack/signer.js';
import { visibleText } from '../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';

const SETTLE_MS = 2000;
const POLL_MS = 250;
const APPROVERS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const approvers = Array.from({ length: APPROVERS }, (_, i) => `U0BENCH${String(i).padStart(3, '0')}`);
const w = await startApprovalWorld({
  settleMs: SETTLE_MS,
  activation: { pollIntervalMs: POLL_MS, deadlineMs: 60_000 },
  approval: { approverUserIds: approvers },
  concurrency: 4,
  quiet: true,
});

const acks: number[] = [];
const toActive: number[] = [];
const agreementsPerRequest: number[] = [];
const phases: Array<{ beforeAgreement: number; settling: number; afterAvailable: number }> = [];

for (let round = 1; round <= ROUNDS; round++) {
  const model = `cohere.command-bench-${round}-v1:0`;
  w.std.world.addModel({ modelId: model, modelName: `Bench ${round}`, providerName: 'Cohere', regions: ['us-east-1'] });
  await w.submitRequest({ model });
  const request = await w.requestFor(model);
  const agreementsBefore = w.std.world.callCount('CreateFoundationModelAgreement', (c) => c.status < 300);
  const signed = approvers.map((userId, i) =>
    signInteraction(
      SIGNING_SECRET,
      cardButtonPayload(ACTION.approve, request.id, w.h.slackApi.responseUrl(`bench-${round}-${i}`), { userId }),
    ),
  );
  const isActiveUpdate = (c: { method: string; args: Record<string, unknown> }) =>
    c.method === 'chat.update' &&
    c.args.ts === request.approvalMessage?.ts &&
    visibleText(c.args).includes('*Active.*');

  const pressedAt = Date.now();
  const pressedPerf = performance.now();
  await Promise.all(
    signed.map(async (req) => {
      const started = performance.now();
      const res = await w.h.send(req);
      acks.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`press answered ${res.status}`);
    }),
  );
  while (!w.h.slackApi.calls.some(isActiveUpdate)) await new Promise((r) => setTimeout(r, 2));
  const activeAt = w.h.slackApi.calls.find(isActiveUpdate)?.at ?? Date.now();
  toActive.push(activeAt - pressedAt);
  await w.h.settle();
  const agreements = w.std.world.callCount('CreateFoundationModelAgreement', (c) => c.status < 300) - agreementsBefore;
  agreementsPerRequest.push(agreements);
  const trail = await w.store.repository.auditTrail(request.id);
  // Where the time went: before the agreement (clicks, store, AssumeRole …), AWS settling, and after (store, Slack).
  const calls = w.std.world.calls.filter((c) => c.startedAt > pressedPerf);
  const created = calls.find((c) => c.operation === 'CreateFoundationModelAgreement' && c.status < 300);
  const lastRead = calls.filter((c) => c.operation === 'GetFoundationModelAvailability').at(-1);
  const activePerf = pressedPerf + (activeAt - pressedAt);
  if (created && lastRead) {
    phases.push({
      beforeAgreement: created.startedAt - pressedPerf,
      settling: lastRead.endedAt - created.startedAt,
      afterAvailable: activePerf - lastRead.endedAt,
    });
  }
  if (process.env.BENCH_TRACE) {
    const done = await w.store.repository.get(request.id);
    for (const e of trail) console.log('  audit', e.action, Date.parse(e.at) - pressedAt);
    for (const p of done?.progress ?? []) console.log('  step', p.step, p.status, Date.parse(p.at) - pressedAt);
    for (const c of w.std.world.calls.filter((x) => x.startedAt > pressedPerf)) {
      console.log(
        '  aws',
        c.operation,
        Math.round(c.startedAt - pressedPerf),
        Math.round(c.endedAt - c.startedAt),
        c.status,
      );
    }
    for (const c of w.h.slackApi.calls.filter((x) => x.at >= pressedAt))
      console.log('  slack', c.method, c.at - pressedAt);
  }
  const phase = phases.at(-1);
  console.log(
    `round ${round}: press → card active ${activeAt - pressedAt} ms ` +
      (phase
        ? `(before the agreement ${Math.round(phase.beforeAgreement)}, AWS settling ${Math.round(phase.settling)}, ` +
          `after ${Math.round(phase.afterAvailable)}); `
        : '; ') +
      `agreements ${agreements}; ` +
      `approved ${trail.filter((e) => e.action === 'approved').length}×, ` +
      `refused/already-handled answers ${w.h.slackApi.responses.filter((r) => r.id.startsWith(`bench-${round}-`)).length}`,
  );
}
await w.close();

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const round1 = (n: number) => Math.round(n * 10) / 10;
const median = pct(toActive, 50);
console.log(
  `Approve ack over ${acks.length} presses (${APPROVERS} at once, ${ROUNDS} rounds): p50 ${round1(pct(acks, 50))} ms, ` +
    `p99 ${round1(pct(acks, 99))} ms`,
);
console.log(
  `press → card says active: median ${median} ms over ${ROUNDS} rounds (target ≤ settle ${SETTLE_MS} + one poll ` +
    `${POLL_MS} + 300 = ${SETTLE_MS + POLL_MS + 300} ms)`,
);
const med = (pick: (p: (typeof phases)[number]) => number) => Math.round(pct(phases.map(pick), 50));
console.log(
  `median phases: before the agreement ${med((p) => p.beforeAgreement)} ms, AWS settling ${med((p) => p.settling)} ms ` +
    `(settle ${SETTLE_MS} + polling), after ${med((p) => p.afterAvailable)} ms`,
);
console.log(
  JSON.stringify({
    approve_ack_p99_ms: round1(pct(acks, 99)),
    approve_to_active_ms: median,
    settle_ms: SETTLE_MS,
    poll_interval_ms: POLL_MS,
    agreements: Math.max(...agreementsPerRequest),
  }),
);
