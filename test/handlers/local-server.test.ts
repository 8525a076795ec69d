// `npm start` as a person runs it: the entry point spawned as a process, its exit code and stderr read back; the
// happy path answers signed requests through the fake Slack Web API and the fake AWS.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { createStandardWorld, fakeEnv, type StandardWorld } from '../fakes/aws/standard-world.js';
import { ensureBuilt, ROOT } from '../support/build-dist.js';
import { type FakeSlackApi, startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import { buttonPayload, eventEnvelope, sign, signInteraction, signSlashCommand } from '../support/slack/signer.js';
import { visibleText } from '../support/slack/slack-assertions.js';

const ENTRY = fileURLToPath(new URL('../../handlers/local-server.ts', import.meta.url));
const SECRET = 'local-server-test-secret';
const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stderr: () => string;
}

/** Starts the entry point with exactly `env` (plus PATH), never the machine's own credentials. */
function startProcess(env: Record<string, string>, nodeArgs: string[] = []): Run {
  // A fresh data folder each time: the embedded store allows one process per folder, and tests leave no files behind.
  const dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-local-'));
  dataDirs.push(dataDir);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ENTRY], {
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

async function exitOf(run: Run): Promise<{ code: number | null; stderr: string }> {
  const [code] = (await once(run.child, 'exit')) as [number | null];
  return { code, stderr: run.stderr() };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('npm start with settings missing or wrong', () => {
  it('exits 1 naming each missing Slack variable and the README section, without a stack trace', async () => {
    const { code, stderr } = await exitOf(startProcess({}));
    expect(code).toBe(1);
    expect(stderr).toContain('Missing Slack settings: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET.');
    expect(stderr).toContain('README.md, section "Slack app"');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('treats an empty signing secret as missing and refuses to start', async () => {
    const { code, stderr } = await exitOf(startProcess({ SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: '' }));
    expect(code).toBe(1);
    expect(stderr).toContain('Missing Slack settings: SLACK_SIGNING_SECRET.');
  });

  it('exits 1 with the variable and expected shape for a malformed setting', async () => {
    const { code, stderr } = await exitOf(startProcess({ SLACK_BOT_TOKEN: 'not-a-token', PORT: 'abc' }));
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(stderr).toContain('PORT: expected a TCP port');
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});

describe('npm start in HTTP mode', () => {
  let slackApi: FakeSlackApi;
  let std: StandardWorld;
  let fake: FakeAws;
  beforeAll(async () => {
    slackApi = await startFakeSlackApi();
    std = createStandardWorld();
    fake = await startFakeAws(std.world);
  });
  afterAll(async () => {
    await slackApi.close();
    await fake.close();
  });

  it('exits 1 when Slack rejects the bot token', async () => {
    slackApi.failNext('auth.test', { error: 'invalid_auth' }, 10);
    const { code, stderr } = await exitOf(
      startProcess({ SLACK_BOT_TOKEN: 'xoxb-bad', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackApi.apiUrl }),
    );
    slackApi.reset();
    expect(code).toBe(1);
    expect(stderr).toContain('Slack did not accept SLACK_BOT_TOKEN (invalid_auth)');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('connects through Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed), and exits 1 if Slack refuses it', async () => {
    // Prepare: the fake refuses the app token when the Socket Mode client asks for a WebSocket URL.
    slackApi.failNext('apps.connections.open', { error: 'invalid_auth' }, 10);

    // Act
    const { code, stderr } = await exitOf(
      startProcess({ SLACK_BOT_TOKEN: 'xoxb-ok', SLACK_APP_TOKEN: 'xapp-bad', SLACK_API_URL: slackApi.apiUrl }),
    );

    // Assess
    const calls = slackApi.calls.map((c) => c.method);
    slackApi.reset();
    expect(calls).toContain('apps.connections.open');
    expect(code).toBe(1);
    expect(stderr).toContain('Slack did not accept SLACK_APP_TOKEN (invalid_auth)');
    expect(stderr).not.toContain('SLACK_SIGNING_SECRET');
  });

  it('says Slack could not be reached, not that the token was refused, when there is no network', async () => {
    const closed = await freePort();
    const { code, stderr } = await exitOf(
      startProcess({
        SLACK_BOT_TOKEN: 'xoxb-fine-1',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
      }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`Could not reach Slack at http://127.0.0.1:${closed}/api/ to check SLACK_BOT_TOKEN`);
    expect(stderr).toContain('a network problem, not a rejected token');
    expect(stderr).not.toContain('did not accept');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 1 with a clear message when PORT is taken', async () => {
    const blocker = createServer();
    blocker.listen(0);
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await exitOf(
        startProcess({
          SLACK_BOT_TOKEN: 'xoxb-ok',
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: slackApi.apiUrl,
          PORT: String(port),
        }),
      );
      expect(code).toBe(1);
      expect(stderr).toContain(`Could not listen on PORT ${port}`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('serves signed commands on PORT at /slack/events, checks status against AWS, and stops on SIGTERM', async () => {
    // Prepare
    slackApi.reset();
    const port = await freePort();
    const run = startProcess({
      ...fakeEnv(fake, std.bot),
      BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(std.accounts),
      SLACK_BOT_TOKEN: 'xoxb-local-1',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackApi.apiUrl,
      PORT: String(port),
    });
    const url = `http://127.0.0.1:${port}/slack/events`;
    try {
      await waitFor(() => run.stderr().includes('Slack app listening'), 15_000);

      // Act
      const send = (text: string, id: string) => {
        const req = signSlashCommand(SECRET, { text, response_url: slackApi.responseUrl(id) });
        return fetch(url, { method: 'POST', headers: req.headers, body: req.body });
      };
      const help = await send('help', 'help');
      const status = await send('status amazon.nova-pro-v1:0 us-east-1', 'status');
      await waitFor(() => slackApi.responsesTo('status').length > 0, 15_000);

      // Assess
      expect(help.status).toBe(200);
      expect(visibleText((await help.json()) as object)).toContain('/bedrock why <pasted error>');
      expect(status.status).toBe(200);
      expect(visibleText(slackApi.responsesTo('status')[0]?.body ?? {})).toContain('not sold through AWS Marketplace');
      expect(slackApi.callsTo('auth.test')[0]?.token).toBe('xoxb-local-1');
    } finally {
      run.child.kill('SIGTERM');
    }
    const { code } = await exitOf(run);
    expect(code).toBe(0);
    // Logged only once the app, the job queue, the store and the AWS clients have all closed.
    expect(run.stderr()).toContain('"msg":"stopped"');
  });
});

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('npm start against hostile input and stray failures (issue 9)', () => {
  let slackApi: FakeSlackApi;
  let run: Run;
  let url: string;
  beforeAll(async () => {
    slackApi = await startFakeSlackApi();
    const port = await freePort();
    // A rejection nobody handles, made on SIGUSR2 once the app runs: the entry point must log it and keep serving.
    const stray = `data:text/javascript,process.on('SIGUSR2', () => { Promise.reject(new Error('stray rejection')); })`;
    run = startProcess(
      {
        SLACK_BOT_TOKEN: 'xoxb-hostile-1',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slackApi.apiUrl,
        PORT: String(port),
      },
      ['--import', stray],
    );
    url = `http://127.0.0.1:${port}/slack/events`;
    await waitFor(() => run.stderr().includes('Slack app listening'), 15_000);
  }, 30_000);
  afterAll(async () => {
    run.child.kill('SIGTERM');
    await exitOf(run);
    await slackApi.close();
  });

  const post = (req: { headers: Record<string, string>; body: string }) =>
    fetch(url, { method: 'POST', headers: req.headers, body: req.body }).then((r) => r.status);
  const now = () => Math.floor(Date.now() / 1000);
  const help = () => signSlashCommand(SECRET, { text: 'help', response_url: slackApi.responseUrl() });

  it('answers each malformed, mistimed or mistyped signed request at once and keeps serving', async () => {
    const statuses = {
      payloadNull: await post(sign(SECRET, 'payload=null', 'application/x-www-form-urlencoded')),
      jsonNull: await post(sign(SECRET, 'null', 'application/json')),
      payloadEmpty: await post(sign(SECRET, 'payload=%7B%7D', 'application/x-www-form-urlencoded')),
      garbage: await post(sign(SECRET, '\u0000\u0001garbage', 'application/x-www-form-urlencoded')),
      future: await post(signSlashCommand(SECRET, { text: 'help', response_url: slackApi.responseUrl() }, now() + 600)),
      textPlain: await post(
        sign(SECRET, JSON.stringify(eventEnvelope({ event: { type: 'app_mention' } })), 'text/plain'),
      ),
      unknownButton: await post(signInteraction(SECRET, buttonPayload('not_ours', 'v', slackApi.responseUrl()))),
    };
    const after = await post(help());

    expect(statuses).toEqual({
      payloadNull: 400,
      jsonNull: 400,
      payloadEmpty: 400,
      garbage: 400,
      future: 401,
      textPlain: 415,
      unknownButton: 200,
    });
    expect(after).toBe(200);
    expect(run.child.exitCode).toBeNull();
  });

  it('logs a stray unhandled rejection and keeps serving', async () => {
    run.child.kill('SIGUSR2');
    await waitFor(() => run.stderr().includes('unhandled rejection; still running'), 10_000);
    expect(run.stderr()).toContain('stray rejection');
    expect(await post(help())).toBe(200);
    expect(run.child.exitCode).toBeNull();
  });
});

describe('npm start under a process manager', () => {
  let slackApi: FakeSlackApi;
  beforeAll(async () => {
    slackApi = await startFakeSlackApi();
    await ensureBuilt();
  }, 180_000);
  afterAll(() => slackApi.close());

  it('passes SIGTERM sent to npm on to the app, which stops cleanly and leaves no orphan', async () => {
    // Prepare: `npm start` exactly as a process manager runs it.
    const dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-npm-'));
    dataDirs.push(dataDir);
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        NODE_NO_WARNINGS: '1',
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        SLACK_BOT_TOKEN: 'xoxb-npm-1',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slackApi.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    npm.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    npm.stdout?.resume();
    await waitFor(() => err.includes('Slack app listening'), 30_000);
    const appPid = Number(/"pid":(\d+)/.exec(err)?.[1]);
    expect(appPid).toBeGreaterThan(0);

    try {
      // Act
      npm.kill('SIGTERM');
      const [code] = (await once(npm, 'exit')) as [number | null];
      // 'exit' can come before the last piped stderr lines are read: give the output a moment to arrive.
      await waitFor(() => !isAlive(appPid) && err.includes('"msg":"stopped"'), 5000).catch(() => undefined);

      // Assess: the app got the signal (it logs "stopped" only after a clean stop) and is gone.
      expect(err).toContain('"msg":"stopped"');
      expect(code).toBe(0);
      expect(isAlive(appPid)).toBe(false);
    } finally {
      // An orphan (the bug) is ours to end.
      if (isAlive(appPid)) process.kill(appPid, 'SIGKILL');
    }
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
