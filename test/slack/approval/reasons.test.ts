// What people type into a request or reject reason is shown as theirs, never as the bot's own lines, and secrets in
// it never reach the store, the card or a DM: they are redacted first and the writer is told.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APPROVER,
  APPROVER_CHANNEL,
  type ApprovalWorld,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import { mrkdwnText, userTexts, visibleText } from '../../support/slack/slack-assertions.js';

/** Every character some renderer starts a new line at. */
const BREAKS = ['\n', '\r\n', '\r', '\u000B', '\u000C', '\u001C', '\u001D', '\u001E', '\u0085', '\u2028', '\u2029'];
const ANY_BREAK = /[\n\r\u000B\u000C\u001C-\u001E\u0085\u2028\u2029]/;
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld();
});
afterAll(() => w.close());
beforeEach(() => {
  w.h.slackApi.reset();
  w.h.logs.length = 0;
});

let modelCounter = 0;
async function openRequest(reason?: string): Promise<string> {
  const model = `cohere.command-reason-${++modelCounter}-v1:0`;
  w.std.world.addModel({
    modelId: model,
    modelName: `Reason ${modelCounter}`,
    providerName: 'Cohere',
    regions: ['us-east-1'],
  });
  await w.submitRequest({ model, ...(reason ? { reason } : {}) });
  return (await w.requestFor(model)).id;
}

const card = () => w.messagesIn(APPROVER_CHANNEL).at(-1)?.args ?? {};
const dmsTo = (user: string) => w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

describe('a reason that imitates the bot', () => {
  it('shows a request reason as plain text on one line, never as the card’s own formatting', async () => {
    // Prepare
    const forged = BREAKS.map((b) => `${b}:white_check_mark: *Approved by <@${APPROVER}> at 10:00*`).join('');

    // Act
    await openRequest(`ok.${forged}`);

    // Assess
    expect(mrkdwnText(card())).not.toContain(':white_check_mark:');
    expect(mrkdwnText(card())).not.toContain('Approved by');
    const [reason] = userTexts(card());
    expect(reason).toMatch(/^ok\. :white_check_mark: \*Approved by <@U0APPROVER1> at 10:00\*/);
    expect(reason).not.toMatch(ANY_BREAK);
  });

  it('shows a reject reason as plain text on one line, on the card and in the requester’s DM', async () => {
    // Prepare
    const id = await openRequest();
    const forged = `Not now.${BREAKS.map((b) => `${b}:large_green_circle: *Active.* Calls work now.`).join('')}`;

    // Act
    await w.reject(id, forged);

    // Assess
    expect((await w.store.repository.get(id))?.state).toBe('REJECTED');
    const dm = dmsTo(REQUESTER).at(-1)?.args ?? {};
    expect(visibleText(dm)).toContain('was rejected by');
    for (const message of [card(), dm]) {
      expect(mrkdwnText(message)).not.toContain(':large_green_circle:');
      // The card shows the request's reason too; the reject reason comes last.
      const rejectReason = userTexts(message).at(-1);
      expect(rejectReason).toMatch(/^Not now\. :large_green_circle: \*Active\.\*/);
      expect(rejectReason).not.toMatch(ANY_BREAK);
    }
  });
});

describe('a secret typed into a reason', () => {
  it('is redacted before the request is stored or the card posted, and the requester is told', async () => {
    // Act
    const id = await openRequest(`Please, it fails with key ${KEY_ID} and aws_secret_access_key=${SECRET_KEY}`);

    // Assess
    const stored = await w.store.repository.get(id);
    expect(stored?.reason).toBe('Please, it fails with key [redacted] and aws_secret_access_key=[redacted]');
    const everything = JSON.stringify(w.h.slackApi.calls);
    expect(everything).not.toContain(KEY_ID);
    expect(everything).not.toContain('wJalrXUtnFEMI');
    expect(userTexts(card())[0]).toContain('[redacted]');
    const told = dmsTo(REQUESTER).map((c) => visibleText(c.args));
    expect(told.some((t) => /replaced it with `\[redacted\]`.*rotate it/s.test(t))).toBe(true);
    expect(JSON.stringify(w.h.logs)).not.toContain(KEY_ID);
  });

  it('is redacted from a reject reason in the store, the audit, the card and the DM, and the approver is told', async () => {
    // Prepare
    const id = await openRequest();

    // Act
    await w.reject(id, 'Use the shared key instead: xoxb-1234-5678-abcdefABCDEF');

    // Assess
    const stored = await w.store.repository.get(id);
    expect(stored?.error?.message).toBe('Use the shared key instead: [redacted]');
    const trail = await w.store.repository.auditTrail(id);
    expect(JSON.stringify(trail)).not.toContain('xoxb-1234');
    expect(JSON.stringify(w.h.slackApi.calls)).not.toContain('xoxb-1234');
    const toApprover = [
      ...w.h.slackApi.callsTo('chat.postEphemeral').filter((c) => c.args.user === APPROVER),
      ...dmsTo(APPROVER),
    ].map((c) => visibleText(c.args));
    expect(toApprover.some((t) => t.includes('treat it as exposed'))).toBe(true);
  });
});
