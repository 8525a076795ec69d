// The deny-list (BLOCKED_MODELS) holds whatever name the model is asked for by: an application inference profile
// hides its model behind an opaque id, so the model AWS resolves it to is checked against the list too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../fakes/aws/standard-world.js';
import {
  APPROVER_CHANNEL,
  type ApprovalWorld,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import { visibleText } from '../../support/slack/slack-assertions.js';

const BLOCKED = 'ai21.jamba-blocked-v1:0';
const PROFILE_ID = 'a1b2c3d4e5f6';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld({
    approval: { blockedModels: [{ pattern: 'ai21.*', reason: 'Legal has not cleared AI21 terms yet.' }] },
  });
  w.std.world
    .addModel({ modelId: BLOCKED, modelName: 'Jamba Blocked', providerName: 'AI21 Labs', regions: ['us-east-1'] })
    .addInferenceProfile({ id: PROFILE_ID, name: 'team profile', regions: ['us-east-1'], modelId: BLOCKED });
});
afterAll(() => w.close());

describe('a blocked model asked for through an application inference profile', () => {
  it('is refused with the reason, and no request or card is made', async () => {
    const res = await w.submitRequest({
      model: `arn:aws:bedrock:us-east-1:${SANDBOX}:application-inference-profile/${PROFILE_ID}`,
    });

    expect(res.status).toBe(200);
    expect(w.messagesIn(APPROVER_CHANNEL)).toEqual([]);
    const dms = w.h.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === REQUESTER)
      .map((c) => visibleText(c.args));
    expect(dms.join('\n')).toContain('Legal has not cleared AI21 terms yet.');
    expect(await w.store.repository.listOpen()).toEqual([]);
  });
});
