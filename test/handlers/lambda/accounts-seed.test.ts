// The deployed shape of the registry: no accounts in any function's environment. The deploy's accounts file reaches
// the reconciler as a file (a layer in AWS), is imported into the table on its scheduled run, and the Slack function
// and the worker then serve those accounts from the table.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconcilerFunction } from '../../../handlers/lambda/reconciler.js';
import { createSlackFunction, type SlackFunction } from '../../../handlers/lambda/slack.js';
import { createWorkerFunction, type WorkerFunction } from '../../../handlers/lambda/worker.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/log.js';
import { VIEW } from '../../../src/slack/action-ids.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { MODELS, PROD, SANDBOX } from '../../fakes/aws/standard-world.js';
import { signInteraction, viewSubmissionPayload } from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';
import { functionUrlEvent, type LambdaFixture, lambdaContext, startLambdaFixture } from './lambda-fixture.js';

const APPROVER_CHANNEL = 'C0APPROVE1';
const quiet = { writeLog: () => {} };

let fx: LambdaFixture;
let store: Store;
let seedFile: string;
let env: Record<string, string>;

beforeEach(async () => {
  fx = await startLambdaFixture();
  seedFile = join(mkdtempSync(join(tmpdir(), 'bd-seed-')), 'accounts.json');
  writeFileSync(seedFile, JSON.stringify(fx.std.accounts));
  const { BEDROCK_DOCTOR_ACCOUNTS: _inEnvNoMore, ...rest } = fx.env;
  env = {
    ...rest,
    BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE: seedFile,
    SLACK_APPROVER_USER_IDS: 'U0APPROVER1',
    SLACK_APPROVER_CHANNEL: APPROVER_CHANNEL,
  };
  store = await openStore(loadConfig(env), { logger: silentLogger, mode: 'external', client: fx.raw });
});
afterEach(async () => {
  await store?.close();
  await fx?.close();
});

async function reconcile() {
  const reconciler = await createReconcilerFunction(env, quiet);
  try {
    await reconciler.handle({ 'detail-type': 'Scheduled Event', time: new Date().toISOString() }, lambdaContext());
  } finally {
    await reconciler.close();
  }
}

/** The Slack function's own keys, as in the stack; everything else as the other functions. */
function slackEnvOf(): Record<string, string> {
  return {
    ...env,
    AWS_ACCESS_KEY_ID: fx.slackEnv.AWS_ACCESS_KEY_ID ?? '',
    AWS_SECRET_ACCESS_KEY: fx.slackEnv.AWS_SECRET_ACCESS_KEY ?? '',
  };
}

/** A request for the sandbox account submitted in the modal, and the job the Slack function enqueued run by the worker. */
async function submitThroughSlack(slack: SlackFunction, worker: WorkerFunction): Promise<void> {
  const submission = viewSubmissionPayload(
    VIEW.requestModal,
    { model: MODELS.cohere, account: SANDBOX, region: 'us-east-1', reason: 'Ticket summaries for support.' },
    { userId: 'U0REQUEST1' },
  );
  const acked = await slack.handle(functionUrlEvent(signInteraction(SIGNING_SECRET, submission)), lambdaContext());
  expect(acked.statusCode).toBe(200);
  // An account the function does not know is an inline error on the modal.
  expect(acked.body ?? '').not.toContain('errors');
  const [job] = fx.queue.messages.splice(0);
  if (!job) throw new Error('no job enqueued');
  const messageAttributes = Object.fromEntries(
    Object.entries(job.attributes).map(([name, value]) => [name, { stringValue: value, dataType: 'String' }]),
  );
  await worker.handle(
    {
      Records: [
        { messageId: job.messageId, body: job.body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes },
      ],
    },
    lambdaContext(),
  );
}

describe('the accounts seed file on Lambda', () => {
  it('is imported by the reconciler once, and the Slack function and worker serve its accounts', async () => {
    await reconcile();
    const seeded = await store.accounts.history();
    expect(seeded.map((e) => [e.action, e.actor, e.added])).toEqual([
      ['accounts_seeded', 'deploy (accounts seed file)', [SANDBOX, PROD]],
    ]);
    // Unchanged file, next minute: nothing written.
    await reconcile();
    expect(await store.accounts.history()).toHaveLength(1);

    const slack = await createSlackFunction(slackEnvOf(), quiet);
    const worker = await createWorkerFunction(env, quiet);
    try {
      await submitThroughSlack(slack, worker);
      const [request] = await store.repository.listByModel(SANDBOX, 'us-east-1', MODELS.cohere);
      expect(request?.state).toBe('REQUESTED');
    } finally {
      await Promise.all([slack.close(), worker.close()]);
    }
  }, 30_000);

  it('serves the seed file before the reconciler first imports it, so an upgrade loses no account', async () => {
    const worker = await createWorkerFunction(env, quiet);
    const slack = await createSlackFunction(slackEnvOf(), quiet);
    try {
      await submitThroughSlack(slack, worker);
      const [request] = await store.repository.listByModel(SANDBOX, 'us-east-1', MODELS.cohere);
      expect(request?.state).toBe('REQUESTED');
      expect(await store.accounts.entries()).toEqual([]);
    } finally {
      await Promise.all([slack.close(), worker.close()]);
    }
  }, 30_000);

  it('retires an account a later seed file no longer lists, and keeps accounts imported by hand', async () => {
    await reconcile();
    const byHand = { id: '777788889999', alias: 'lab', regions: ['us-east-1'] };
    await store.accounts.write(
      [{ account: byHand, source: 'import', status: 'active', updatedAt: new Date().toISOString() }],
      {
        actor: 'cli:ops',
        action: 'accounts_imported',
        added: [byHand.id],
        updated: [],
        removed: [],
      },
    );
    writeFileSync(seedFile, JSON.stringify(fx.std.accounts.filter((a) => a.id === SANDBOX)));
    await reconcile();
    const entries = await store.accounts.entries();
    expect(entries.map((e) => [e.account.id, e.status])).toEqual([
      [SANDBOX, 'active'],
      [PROD, 'removed'],
      [byHand.id, 'active'],
    ]);
    expect((await store.accounts.history()).at(-1)).toMatchObject({ action: 'accounts_seeded', removed: [PROD] });
  });
});
