// Signed modal submissions with a state Slack never sends (no state, numbers for text) are answered with the inline
// errors of the form, not a 500 and a listener crash (issue 9: nothing a client sends breaks the app).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW } from '../../../src/slack/action-ids.js';
import { type ApprovalWorld, startApprovalWorld } from '../../support/approval/approval-world.js';
import { signInteraction, viewSubmissionPayload } from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld();
});
afterAll(() => w.close());

function withState(callbackId: string, state: unknown): Record<string, unknown> {
  const payload = viewSubmissionPayload(callbackId, {});
  return { ...payload, view: { ...(payload.view as Record<string, unknown>), state } };
}

describe('malformed modal submissions', () => {
  it.each([
    ['no state', null],
    ['no values', {}],
    ['numbers for text', { values: { model: { value: { value: 42 } }, reason: { value: { value: ['x'] } } } }],
  ])('answers a request form with %s with inline errors', async (_what, state) => {
    const res = await w.h.send(signInteraction(SIGNING_SECRET, withState(VIEW.requestModal, state)));
    await w.h.settle();

    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_action: 'errors', errors: { model: expect.any(String) } });
    expect(w.h.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('answers a reject form with no state with an inline error', async () => {
    const res = await w.h.send(signInteraction(SIGNING_SECRET, withState(VIEW.rejectModal, null)));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
  });
});
