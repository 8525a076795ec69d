// npm run demo — the whole approval flow on this machine, no Slack workspace and no AWS account: the app (real Bolt
// receiver, signed requests), the project's fake AWS (driven by the real SDK), the embedded store, and a local
// stand-in for Slack's Web API. Prints, as plain text, every message the bot posts or updates:
// why → Request activation → approval card → Approve → progress → active → the requester's DM.
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { ACTION } from '../../src/slack/action-ids.js';
import { MODELS, SANDBOX } from '../fakes/aws/standard-world.js';
import { APPROVER, APPROVER_CHANNEL, REQUESTER, startApprovalWorld } from '../support/approval/approval-world.js';
import type { RecordedCall, RecordedResponse } from '../support/slack/fake-slack-api.js';
import { buttonPayload, signInteraction, signSlashCommand } from '../support/slack/signer.js';
import { buttonsOf, visibleText } from '../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';

const NAMES: Record<string, string> = { [REQUESTER]: '@dana', [APPROVER]: '@alex (approver)' };
const CHANNELS: Record<string, string> = { [APPROVER_CHANNEL]: '#bedrock-approvals', [REQUESTER]: 'DM to @dana' };
const ERROR_TEXT =
  'botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the ' +
  'InvokeModel operation: Model access is denied due to IAM user or service role is not authorized to perform the ' +
  'required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access ' +
  `to this model. (model: ${MODELS.haiku}, region: us-east-1)`;
const started = Date.now();

/** Slack mrkdwn as a terminal shows it: mentions as names, links as "label (url)", entities decoded. */
function plain(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => NAMES[id] ?? `@${id}`)
    .replace(/<!subteam\^[A-Z0-9]+>/g, '@approvers')
    .replace(/<(https:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The lines a reader sees, buttons apart (shown as [ label ] underneath). */
function linesOf(message: { blocks?: unknown; text?: unknown }): string[] {
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Array<{ type: string }>) : [];
  const text = visibleText({ blocks: blocks.filter((b) => b.type !== 'actions') }) || String(message.text ?? '');
  return plain(text).split('\n');
}

function show(
  title: string,
  message: { blocks?: unknown; text?: unknown },
  only?: (line: string) => boolean,
  max = 40,
) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  const lines = linesOf(message).filter((l) => !only || only(l));
  const buttons = buttonsOf(message).map((b) => {
    const label = (b as { text?: { text?: string } }).text?.text ?? b.action_id;
    return `[ ${label} ]`;
  });
  console.log(`\n${seconds}s ── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);
  for (const line of lines.slice(0, max)) console.log(`  │ ${line}`);
  if (lines.length > max) console.log(`  │ … ${lines.length - max} more lines`);
  if (buttons.length > 0) console.log(`  │ ${buttons.join('  ')}`);
}

/** What each card showed last (by ts): an update prints only the lines that changed. */
const shownCards = new Map<string, string[]>();

function say(line: string) {
  console.log(`\n>>> ${line}`);
}

const w = await startApprovalWorld({
  settleMs: 3000,
  activation: { pollIntervalMs: 500, deadlineMs: 60_000 },
  diagnose,
  quiet: true,
});
const seenCalls = new Set<RecordedCall>();
const seenResponses = new Set<RecordedResponse>();
const printNew = () => {
  for (const call of w.h.slackApi.calls) {
    if (seenCalls.has(call)) continue;
    seenCalls.add(call);
    const where = CHANNELS[String(call.args.channel)] ?? String(call.args.channel);
    if (call.method === 'chat.postMessage') {
      show(`${call.args.thread_ts ? 'thread reply in' : 'bot posts in'} ${where}`, call.args);
      if (call.args.channel === APPROVER_CHANNEL) shownCards.set('card', linesOf(call.args));
    }
    if (call.method === 'chat.update') {
      const before = new Set(shownCards.get('card') ?? []);
      shownCards.set('card', linesOf(call.args));
      show(`bot updates its card in ${where} (changed lines)`, call.args, (line) => !before.has(line));
    }
    if (call.method === 'views.open') {
      const view = (typeof call.args.view === 'string' ? JSON.parse(call.args.view) : call.args.view) as {
        title: { text: string };
        blocks: Array<{
          label?: { text: string };
          element?: { initial_value?: string; initial_option?: { value: string } };
        }>;
      };
      const fields = view.blocks
        .filter((b) => b.label)
        .map(
          (b) => `${b.label?.text}: ${b.element?.initial_value ?? b.element?.initial_option?.value ?? '(to fill in)'}`,
        );
      show(`modal opens for @dana: "${view.title.text}"`, { text: fields.join('\n') });
    }
  }
  for (const response of w.h.slackApi.responses) {
    if (seenResponses.has(response)) continue;
    seenResponses.add(response);
    show('reply only @dana sees', response.body);
  }
};
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
