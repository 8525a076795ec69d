// An account removed from the stored registry while one of its requests waits: Approve is refused at the click, said
// politely to the approver, audited, and no role is assumed. Reject still works, so the request can be closed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registeredAccounts } from '../../../src/access/account-registry.js';
import { importAccounts, removeAccount } from '../../../src/access/manage-accounts.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { APPROVER, type ApprovalWorld, REQUESTER, startApprovalWorld } from '../../support/approval/approval-world.js';
import { visibleText } from '../../support/slack/slack-assertions.js';

let w: ApprovalWorld;
beforeAll(async () => {
  // The bot reads the stored registry (uncached here; the cache has its own test).
  w = await startApprovalWorld({ accounts: (store) => registeredAccounts(store.accounts, []) });
});
afterAll(() => w.close());
beforeEach(() => {
  w.h.slackApi.reset();
  w.std.world.resetCalls();
});

let counter = 0;
async function openRequestThenRemoveAccount(): Promise<string> {
  // Registered (again: an import brings a removed account back), asked about, then removed.
  await importAccounts(
    { registry: w.store.accounts },
    { text: JSON.stringify(w.std.accounts), source: 'accounts.json', actor: 'cli:ops' },
  );
  const model = `cohere.command-removed-${++counter}-v1:0`;
  w.std.world.addModel({
    modelId: model,
    modelName: `Command ${counter}`,
    providerName: 'Cohere',
    regions: ['us-east-1'],
  });
  await w.submitRequest({ model, region: 'us-east-1' });
  const request = (await w.store.repository.listOpen()).find((r) => r.baseModelId === model);
  if (!request) throw new Error('request not opened');
  await removeAccount({ registry: w.store.accounts }, { idOrAlias: 'sandbox', actor: 'cli:ops' });
  w.h.slackApi.reset();
  w.std.world.resetCalls();
  return request.id;
}

describe('a request for an account removed from the registry', () => {
  it('refuses Approve politely, audits it, and assumes no role', async () => {
    const id = await openRequestThenRemoveAccount();

    await w.press(ACTION.approve, id, { userId: APPROVER });

    const request = await w.store.repository.get(id);
    expect(request?.state).toBe('REQUESTED');
    const refusal = (await w.store.repository.auditTrail(id)).find((e) => e.action === 'approve_refused');
    expect(refusal?.note).toMatch(/no longer registered with this bot/);
    const answer = w.h.slackApi.responses[0]?.body;
    expect(answer?.response_type).toBe('ephemeral');
    expect(visibleText(answer ?? {})).toMatch(
      /Account \d{12} is no longer registered with this bot, so nothing can be activated there\. Reject the request instead/,
    );
    expect(w.std.world.callCount('AssumeRole')).toBe(0);
    expect(w.h.slackApi.callsTo('chat.update')).toEqual([]);
  });

  it('still lets an approver reject it, and tells the requester', async () => {
    const id = await openRequestThenRemoveAccount();
    await w.reject(id, 'The account was closed.');
    expect((await w.store.repository.get(id))?.state).toBe('REJECTED');
    const toRequester = w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === REQUESTER);
    expect(toRequester.map((c) => visibleText(c.args)).join('\n')).toContain('The account was closed.');
  });
});
