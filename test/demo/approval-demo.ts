// npm run demo — the whole approval flow on this machine, no Slack workspace and no AWS account: the app (real Bolt
// receiver, signed requests), the project's fake AWS (driven by the real SDK), the embedded store, and a local
// stand-in for Slack's Web API. Prints, as plain text, every message the bot posts or updates:
// why → Request activation → approval card → Approve → progress → active → the requester's DM.
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { ACTION } from '../../src/slack/action-ids.js';
import { MODELS, SANDBOX } from '../fakes/aws/standard-world.js';
import { startApprovalWorld } from '../support/approval/approval-world.js';
import { buttonPayload, signInteraction, signSlashCommand } from '../support/slack/signer.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';
import { APPROVER, APPROVER_CHANNEL, CHANNELS, ERROR_TEXT, NAMES, REQUESTER } from './story.js';
import { createTranscript } from './transcript.js';

const w = await startApprovalWorld({
  settleMs: 3000,
  activation: { pollIntervalMs: 500, deadlineMs: 60_000 },
  diagnose,
  quiet: true,
});
const { show, say, printNew } = createTranscript({
  slackApi: w.h.slackApi,
  names: NAMES,
  channels: CHANNELS,
  cardChannel: APPROVER_CHANNEL,
  viewer: '@dana',
});
const started = Date.now();
const watcher = setInterval(printNew, 50);

try {
  console.log('Bedrock Access Doctor — the approval flow, on this machine (fake Slack, fake AWS, embedded store).');
  say(`@dana runs: /bedrock why ${ERROR_TEXT.slice(0, 90)}…`);
  const why = await w.h.send(
    signSlashCommand(SIGNING_SECRET, {
      text: `why ${ERROR_TEXT}`,
      user_id: REQUESTER,
      response_url: w.h.slackApi.responseUrl('why'),
    }),
  );
  show('reply only @dana sees (the diagnosis card)', JSON.parse(why.text) as object, undefined, 12);

  say('@dana presses [ Request activation ] on that card');
  await w.h.send(
    signInteraction(
      SIGNING_SECRET,
      buttonPayload(
        ACTION.requestActivation,
        JSON.stringify({ m: MODELS.haiku, r: 'us-east-1' }),
        w.h.slackApi.responseUrl('btn'),
      ),
    ),
  );
  await w.h.settle();
  printNew();

  say('@dana writes why she needs it and presses "Send to approvers"');
  await w.submitRequest({ model: MODELS.haiku, reason: 'Summarise support tickets for the help-desk team.' });
  printNew();

  const request = await w.requestFor(MODELS.haiku);
  say('@alex presses [ Approve ] on the card and confirms "Approve and accept"');
  await w.press(ACTION.approve, request.id, { userId: APPROVER });
  printNew();

  const done = await w.store.repository.get(request.id);
  const trail = await w.store.repository.auditTrail(request.id);
  const session = w.std.world.sessions()[0];
  console.log('\n── what was kept ─────────────────────────────────────────────────────────────────');
  console.log(`  request ${request.id}: ${done?.state}`);
  console.log(
    `  audit trail: ${trail.map((e) => `${e.action} by ${NAMES[e.actor.userId] ?? e.actor.userId}`).join(' → ')}`,
  );
  console.log(
    `  AWS (fake) in account ${SANDBOX}: ${w.std.world.callCount('CreateFoundationModelAgreement')} agreement, ` +
      `${w.std.world.callCount('PutUseCaseForModelAccess')} use-case form, session SourceIdentity ${session?.sourceIdentity}`,
  );
  console.log(
    `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Run \`npm start\` with your own Slack app next (README "Slack app").`,
  );
} finally {
  clearInterval(watcher);
  await w.close();
}
