// npm run bench:fairness — one person floods `/bedrock status`: 1,000 commands naming 1,000 different model ids,
// each of which the fake AWS answers in 3 s, while an approver approves a pending request for another model
// (answered at normal speed; agreements settle after 2000 ms, the activator polls every 250 ms). The same approval
// also runs with no flood. Real parts: signed requests into the Bolt receiver, the embedded store, the real SDK
// against the fake AWS, the fake Slack Web API. Measured: the Approve's HTTP ack and the time from the press to the
// card saying the model is active. Prints a summary and, last, one JSON line.
import { performance } from 'node:perf_hooks';
import { ACTION } from '../../src/slack/action-ids.js';
import { APPROVER, startApprovalWorld } from '../support/approval/approval-world.js';
import { cardButtonPayload, signInteraction, signSlashCommand } from '../support/slack/signer.js';
import { visibleText } from '../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';

const SETTLE_MS = 2000;
const POLL_MS = 250;
const SLOW_AWS_MS = 3000;
const FLOOD = Number(process.env.BENCH_FLOOD ?? 1000);
/** Commands in flight at once while flooding (a script hammering the slash command). */
const FLOOD_PARALLEL = 50;
const FLOODER = 'U0FLOODER1';
const floodModel = (i: number) => `cohere.flood-${i}-v1:0`;

const w = await startApprovalWorld({
  settleMs: SETTLE_MS,
  activation: { pollIntervalMs: POLL_MS, deadlineMs: 60_000 },
  quiet: true,
});
for (let i = 0; i < FLOOD; i++) {
  w.std.world.addModel({
    modelId: floodModel(i),
    modelName: `Flood ${i}`,
    providerName: 'Cohere',
    regions: ['us-east-1'],
  });
}
// Every Bedrock call naming a flood model takes 3 s; the approved model's calls are answered at once.
w.std.world.latencyFor = (_operation, label) => (label?.startsWith('cohere.flood-') ? SLOW_AWS_MS : 0);

interface Approval {
  ackMs: number;
  toActiveMs: number;
  lost: boolean;
}

/** Opens a request for `model`, presses Approve, and waits for the card to say the model is active. */
async function approve(model: string): Promise<Approval> {
  w.std.world.addModel({ modelId: model, modelName: model, providerName: 'Cohere', regions: ['us-east-1'] });
  await w.submitRequest({ model });
  const request = await w.requestFor(model);
  const id = `approve-${model}`;
  const press = signInteraction(
    SIGNING_SECRET,
    cardButtonPayload(ACTION.approve, request.id, w.h.slackApi.responseUrl(id), { userId: APPROVER }),
  );
  const isActive = (c: { method: string; args: Record<string, unknown> }) =>
    c.method === 'chat.update' &&
    c.args.ts === request.approvalMessage?.ts &&
    visibleText(c.args).includes('*Active.*');
  const pressedAt = Date.now();
  const started = performance.now();
  const res = await w.h.send(press);
  const ackMs = performance.now() - started;
  let lost = res.status !== 200;
  try {
    await w.h.slackApi.waitFor(() => w.h.slackApi.calls.some(isActive), 60_000);
  } catch {
    lost = true;
  }
  const activeAt = w.h.slackApi.calls.find(isActive)?.at ?? Date.now();
  const answers = JSON.stringify(w.h.slackApi.responsesTo(id));
  if (/something went wrong/i.test(answers)) lost = true;
  if ((await w.store.repository.get(request.id))?.decidedBy?.userId !== APPROVER) lost = true;
  return { ackMs, toActiveMs: activeAt - pressedAt, lost };
}

// One approval first, unmeasured: the first run pays for loading code and opening connections.
await approve('cohere.command-fair-warmup-v1:0');
await w.h.settle();
const quiet = await approve('cohere.command-fair-quiet-v1:0');
await w.h.settle();
console.log(`no flood: Approve ack ${quiet.ackMs.toFixed(1)} ms, press → card active ${quiet.toActiveMs} ms`);

const callsBefore = w.std.world.calls.length;
const floodStarted = performance.now();
const floodAcks: string[] = [];
for (let next = 0; next < FLOOD; ) {
  const batch = Array.from({ length: Math.min(FLOOD_PARALLEL, FLOOD - next) }, (_, k) => next + k);
  next += batch.length;
  await Promise.all(
    batch.map(async (i) => {
      const res = await w.h.send(
        signSlashCommand(SIGNING_SECRET, {
          text: `status ${floodModel(i)}`,
          user_id: FLOODER,
          response_url: w.h.slackApi.responseUrl(`flood-${i}`),
        }),
      );
      floodAcks.push(res.text);
    }),
  );
}
const floodMs = performance.now() - floodStarted;
const slowedDown = floodAcks.filter((t) => t.includes('Slow down')).length;
console.log(
  `flood: ${FLOOD} status commands from one person acked in ${Math.round(floodMs)} ms; ` +
    `${FLOOD - slowedDown} admitted, ${slowedDown} told to slow down`,
);

const flooded = await approve('cohere.command-fair-flood-v1:0');
console.log(
  `under the flood: Approve ack ${flooded.ackMs.toFixed(1)} ms, press → card active ${flooded.toActiveMs} ms`,
);
await w.h.settle();
const floodCalls = w.std.world.calls
  .slice(callsBefore)
  .filter((c) => String(c.params.label ?? '').startsWith('cohere.flood-')).length;
console.log(`AWS calls for the flood's status checks: ${floodCalls}`);
await w.close();

const round1 = (n: number) => Math.round(n * 10) / 10;
const result = {
  flood_commands: FLOOD,
  aws_calls: floodCalls,
  approve_ack_ms: round1(flooded.ackMs),
  quiet_approve_to_active_ms: quiet.toActiveMs,
  approve_to_active_ms: flooded.toActiveMs,
  approval_lost: quiet.lost || flooded.lost,
};
console.log(
  `target: approval never lost (${!result.approval_lost}), ack < 3000 ms (${result.approve_ack_ms}), ` +
    `approve_to_active_ms ≤ quiet + 1000 (${result.approve_to_active_ms} ≤ ${result.quiet_approve_to_active_ms + 1000})`,
);
console.log(JSON.stringify(result));
