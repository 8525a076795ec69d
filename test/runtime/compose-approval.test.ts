// The approval flow composed from Config alone (a queue worker and a scheduled reconciler): a job message holding
// only the request id drives the activation; extra fields in the message are ignored.
import { afterEach, describe, expect, it } from 'vitest';
import { parseActivationJob, SYSTEM_ACTORS } from '../../src/access/approval-ports.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { composeApprovalFlow } from '../../src/runtime/compose-approval.js';
import { MODELS, SANDBOX } from '../fakes/aws/standard-world.js';
import {
  APPROVER,
  APPROVER_CHANNEL,
  type ApprovalWorld,
  startApprovalWorld,
} from '../support/approval/approval-world.js';
import { visibleText } from '../support/slack/slack-assertions.js';

let w: ApprovalWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('parseActivationJob', () => {
  it('takes only the kind and the request id', () => {
    expect(
      parseActivationJob('{"kind":"activate_request","requestId":"abc-123","approver":"U0EVIL","model":"x"}'),
    ).toEqual({ kind: 'activate_request', requestId: 'abc-123' });
    expect(parseActivationJob('{"kind":"approve","requestId":"abc"}')).toBeUndefined();
    expect(parseActivationJob('{"kind":"activate_request","requestId":"<!channel>"}')).toBeUndefined();
    expect(parseActivationJob('not json')).toBeUndefined();
  });
});

describe('composeApprovalFlow', () => {
  it('runs an activation job from a queue message and leaves the reconciler nothing to do', async () => {
    // Prepare: a request approved by a Slack app elsewhere; its job message reaches this worker.
    const world = await startApprovalWorld();
    w = world;
    await world.submitRequest({ model: MODELS.cohere });
    const open = await world.requestFor(MODELS.cohere);
    await world.store.repository.transition(open.id, {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: { userId: APPROVER },
    });
    const config = {
      ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-worker', SLACK_API_URL: world.h.slackApi.apiUrl }),
      accounts: world.config.accounts,
      activation: world.config.activation,
      approval: world.config.approval,
    };
    const queued: unknown[] = [];
    const flow = composeApprovalFlow(config, {
      repository: world.store.repository,
      access: world.access,
      enqueueActivation: async (job) => {
        queued.push(job);
      },
      logger: silentLogger,
    });

    // Act
    const job = parseActivationJob(JSON.stringify({ kind: 'activate_request', requestId: open.id, account: 'prod' }));
    if (!job) throw new Error('job not understood');
    await flow.runActivationJob(job);
    const report = await flow.reconcile();

    // Assess
    const done = await world.store.repository.get(open.id);
    expect(done?.state).toBe('ACTIVE');
    expect(done?.lastActor).toEqual(SYSTEM_ACTORS.worker);
    expect(world.std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
    expect(world.std.world.sessions()[0]?.sourceIdentity).toBe(APPROVER);
    const card = world.h.slackApi
      .callsTo('chat.update')
      .filter((c) => c.args.channel === APPROVER_CHANNEL)
      .at(-1);
    expect(visibleText(card?.args ?? {})).toContain('*Active.*');
    expect(world.h.slackApi.callsTo('chat.update').every((c) => c.token === 'xoxb-worker')).toBe(true);
    expect(report.redriven).toEqual([]);
    expect(queued).toEqual([]);
  });
});
