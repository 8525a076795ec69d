// `npm start` killed in the middle of an activation, then started again on the same data folder: the reconciler
// finds the request stuck in ACTIVATING and finishes it, with no second agreement.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/slack/action-ids.js';
import { startFakeAws } from '../fakes/aws/server.js';
import { createStandardWorld, fakeEnv, MODELS, SANDBOX } from '../fakes/aws/standard-world.js';
import { startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import { cardButtonPayload, signInteraction, viewSubmissionPayload } from '../support/slack/signer.js';
import { buttonsOf, visibleText } from '../support/slack/slack-assertions.js';

const ENTRY = fileURLToPath(new URL('../../handlers/local-server.ts', import.meta.url));
const SECRET = 'local-server-approval-secret';
const dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-approval-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  child.stdout?.resume();
  return { child, stderr: () => err };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('finishes an activation after the process was killed mid-way and started again', { timeout: 150_000 }, async () => {
  // Prepare: a slow settle, so the process dies while AWS is still settling the agreement.
  const slackApi = await startFakeSlackApi();
  const std = createStandardWorld({ settleMs: 5000 });
  const fake = await startFakeAws(std.world);
  const accounts = std.accounts.map((a) => (a.id === SANDBOX ? { ...a, approverChannel: 'C0APPROVE1' } : a));
  const port = await freePort();
  const env = {
    ...fakeEnv(fake, std.bot),
    BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(accounts),
    SLACK_BOT_TOKEN: 'xoxb-local-approval',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.apiUrl,
    SLACK_APPROVER_USER_IDS: 'U0APPROVER1',
    ACTIVATION_POLL_INTERVAL_MS: '100',
    RECONCILE_INTERVAL_SECONDS: '1',
    PORT: String(port),
  };
  const url = `http://127.0.0.1:${port}/slack/events`;
  const send = (payload: Record<string, unknown>) => {
    const req = signInteraction(SECRET, payload);
    return fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  };
  const cardPosts = () => slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0APPROVE1');
  let second: ReturnType<typeof start> | undefined;
  try {
    const first = start(env);
    await waitFor(() => first.stderr().includes('Slack app listening'), 20_000, 'the first start');
    await send(
      viewSubmissionPayload(
        VIEW.requestModal,
        { model: MODELS.cohere, account: SANDBOX, region: 'us-east-1', reason: 'Support ticket summaries.' },
        { userId: 'U0REQUEST1' },
      ),
    );
    await waitFor(() => cardPosts().length === 1, 20_000, 'the approval card');
    const requestId = buttonsOf(cardPosts()[0]?.args ?? {})[0]?.value ?? '';
    await send(
      cardButtonPayload(ACTION.approve, requestId, slackApi.responseUrl('approve'), { userId: 'U0APPROVER1' }),
    );
    await waitFor(() => std.world.callCount('CreateFoundationModelAgreement') === 1, 20_000, 'the agreement');

    // Act: kill it hard while AWS settles, then start again on the same data folder.
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('PENDING');
    second = start(env);
    const active = () => slackApi.callsTo('chat.update').some((c) => visibleText(c.args).includes('*Active.*'));
    // The killed process's activation lease runs out first (about 30 s), then the reconciler takes over.
    await waitFor(active, 100_000, 'the card to say active');
    await waitFor(
      () =>
        slackApi
          .callsTo('chat.postMessage')
          .some((c) => c.args.channel === 'U0REQUEST1' && visibleText(c.args).includes('is active')),
      10_000,
      'the DM',
    );

    // Assess
    expect(std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect(std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
    expect(second.stderr()).toContain('"msg":"reconciled"');
    expect(std.world.sessions().every((s) => s.sourceIdentity === 'U0APPROVER1')).toBe(true);
  } finally {
    second?.child.kill('SIGTERM');
    if (second) await once(second.child, 'exit');
    await slackApi.close();
    await fake.close();
  }
});
