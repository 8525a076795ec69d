// A registry of more accounts than a Slack static select lists (100): the request modal's account menu loads its
// options from the bot as the person types, so every account can be chosen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticAccounts } from '../../../src/access/account-registry.js';
import type { Account } from '../../../src/config.js';
import { VIEW } from '../../../src/slack/action-ids.js';
import { type ApprovalWorld, startApprovalWorld } from '../../support/approval/approval-world.js';
import { signInteraction, signSlashCommand } from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';

const MANY: Account[] = Array.from({ length: 150 }, (_, i) => ({
  id: String(200_000_000_000 + i),
  alias: `team-${String(i).padStart(3, '0')}`,
  regions: ['us-east-1'],
}));

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld({ accounts: () => staticAccounts(MANY) });
});
afterAll(() => w.close());

function suggestionPayload(typed: string) {
  return {
    type: 'block_suggestion',
    user: { id: 'U0USER0001', team_id: 'T0TEAM0001' },
    team: { id: 'T0TEAM0001', domain: 'example' },
    api_app_id: 'A0APP00001',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'V0VIEW0001' },
    view: { id: 'V0VIEW0001', type: 'modal', callback_id: VIEW.requestModal },
    block_id: 'account',
    action_id: 'value',
    value: typed,
  };
}

describe('the request modal with 150 accounts', () => {
  it('offers the account menu as options loaded from the bot instead of a list cut at 100', async () => {
    await w.h.send(
      signSlashCommand(SIGNING_SECRET, {
        text: 'request cohere.command-r-v1:0',
        response_url: w.h.slackApi.responseUrl('c'),
      }),
    );
    await w.h.settle();
    const [open] = w.h.slackApi.callsTo('views.open');
    const view = (typeof open?.args.view === 'string' ? JSON.parse(open.args.view) : open?.args.view) as {
      blocks: Array<{ block_id: string; element: Record<string, unknown> }>;
    };
    const menu = view.blocks.find((b) => b.block_id === 'account')?.element;
    expect(menu).toMatchObject({ type: 'external_select', action_id: 'value', min_query_length: 0 });
    expect(menu?.options).toBeUndefined();
  });

  it('answers what was typed with the matching accounts, past the hundredth included', async () => {
    const res = await w.h.send(signInteraction(SIGNING_SECRET, suggestionPayload('team-14')));
    expect(res.status).toBe(200);
    const { options } = JSON.parse(res.text) as { options: Array<{ text: { text: string }; value: string }> };
    expect(options.map((o) => o.value)).toEqual(Array.from({ length: 10 }, (_, i) => String(200_000_000_140 + i)));
    expect(options[0]?.text.text).toBe('team-140 (200000000140)');
    const byId = JSON.parse((await w.h.send(signInteraction(SIGNING_SECRET, suggestionPayload('200000000149')))).text);
    expect(byId.options.map((o: { value: string }) => o.value)).toEqual(['200000000149']);
  });

  it('lists the first 100 accounts when nothing is typed yet, and nothing for a query no account matches', async () => {
    const first = JSON.parse((await w.h.send(signInteraction(SIGNING_SECRET, suggestionPayload('')))).text);
    expect(first.options).toHaveLength(100);
    const none = JSON.parse((await w.h.send(signInteraction(SIGNING_SECRET, suggestionPayload('no-such')))).text);
    expect(none.options).toEqual([]);
  });
});
