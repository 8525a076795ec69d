// Request → cancel loops and request floods: a requester who cancelled waits REQUEST_COOLDOWN_MINUTES before asking
// for the same model again, and one person opens at most REQUESTS_PER_USER_PER_HOUR requests an hour. Each refusal
// says until when, and the approvers' channel gets no new card. Signed submissions into the real receiver.
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/slack/action-ids.js';
import {
  APPROVER_CHANNEL,
  type ApprovalWorld,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import { visibleText } from '../../support/slack/slack-assertions.js';

const START = Date.parse('2026-03-02T09:00:00Z');
let clock = START;
let w: ApprovalWorld;

afterEach(async () => {
  await w?.close();
  clock = START;
});

let counter = 0;
function freshModel(): string {
  const model = `cohere.command-pace-${++counter}-v1:0`;
  w.std.world.addModel({
    modelId: model,
    modelName: `Pace ${counter}`,
    providerName: 'Cohere',
    regions: ['us-east-1'],
  });
  return model;
}

const cardsPosted = () =>
  w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === APPROVER_CHANNEL).length;
const lastDmTo = (userId: string) =>
  visibleText(
    w.h.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === userId)
      .at(-1)?.args ?? {},
  );

describe('pacing requests', () => {
  it('asks a requester who cancelled to wait before asking for the same model again, saying until when', async () => {
    w = await startApprovalWorld({ now: () => clock, approval: { requestCooldownMs: 30 * 60_000 } });
    const model = freshModel();
    await w.submitRequest({ model });
    const first = await w.requestFor(model);
    clock += 60_000;
    await w.press(ACTION.cancelRequest, first.id, { userId: REQUESTER });
    expect((await w.store.repository.get(first.id))?.state).toBe('CANCELLED');
    const cards = cardsPosted();

    clock += 5 * 60_000;
    await w.submitRequest({ model });

    expect(lastDmTo(REQUESTER)).toContain(
      `You cancelled your request for ${model} at 2026-03-02 09:01 UTC. To keep the approvers' channel calm, you can ask for it again after 2026-03-02 09:31 UTC.`,
    );
    expect(cardsPosted()).toBe(cards);
    expect(await w.store.repository.listByModel(first.accountId, 'us-east-1', model)).toHaveLength(1);

    // After the cool-down the same request goes through.
    clock = START + 32 * 60_000;
    await w.submitRequest({ model });
    expect(cardsPosted()).toBe(cards + 1);
    expect(await w.store.repository.listByModel(first.accountId, 'us-east-1', model)).toHaveLength(2);
  });

  it('bounds the requests one person may open in an hour; joining an open one and other people are not held back', async () => {
    w = await startApprovalWorld({ now: () => clock, approval: { requestsPerUserPerHour: 2 } });
    const [a, b, c] = [freshModel(), freshModel(), freshModel()];
    await w.submitRequest({ model: a });
    clock += 10 * 60_000;
    await w.submitRequest({ model: b });
    const cards = cardsPosted();

    clock += 10 * 60_000;
    await w.submitRequest({ model: c });

    expect(lastDmTo(REQUESTER)).toContain(
      'You have opened 2 requests in the last hour, the most one person may open. You can open another after 2026-03-02 10:00 UTC.',
    );
    expect(cardsPosted()).toBe(cards);
    // Someone else may still ask for it; the flooder may still join their open request (no new card).
    await w.submitRequest({ model: c, userId: 'U0SOMEONE1' });
    expect(cardsPosted()).toBe(cards + 1);
    await w.submitRequest({ model: c });
    expect(cardsPosted()).toBe(cards + 1);
    expect(lastDmTo(REQUESTER)).toContain('already asked for');
  });
});
