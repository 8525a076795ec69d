// The request-authenticity (SIG) and input-handling cases of ../shared/reference/faults-and-bad-inputs.md, sent one
// after another to ONE running `npm start` (the real entry point as a process: front door, Bolt's HTTP receiver,
// embedded store, fake Slack Web API, fake AWS). Each case gets its answer, no listener runs for a refused request,
// and after every case a normal command is still answered by the same process.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/action-ids.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { createStandardWorld, fakeEnv, MODELS, type StandardWorld } from '../fakes/aws/standard-world.js';
import { type FakeSlackApi, startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import {
  eventEnvelope,
  type SignedRequest,
  sign,
  signature,
  signEvent,
  signSlashCommand,
  slashCommandBody,
} from '../support/slack/signer.js';
import { buttonsOf, limitViolations, visibleText } from '../support/slack/slack-assertions.js';

const ENTRY = fileURLToPath(new URL('../../handlers/local-server.ts', import.meta.url));
const SECRET = 'reliability-signing-secret';
const FORM = 'application/x-www-form-urlencoded';
/** Text that must never reach a listener or a log line when its request is refused. */
const MARKER = 'BODY-MARKER-7f3a';

let slackApi: FakeSlackApi;
let std: StandardWorld;
let fake: FakeAws;
let app: ChildProcess;
let stderr = '';
let url: string;
let dataDir: string;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  std = createStandardWorld();
  fake = await startFakeAws(std.world);
  dataDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-reliability-'));
  const port = await freePort();
  app = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_NO_WARNINGS: '1',
      DATA_DIR: dataDir,
      ...fakeEnv(fake, std.bot),
      BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(std.accounts),
      SLACK_BOT_TOKEN: 'xoxb-reliability-1',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackApi.apiUrl,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  app.stdout?.resume();
  url = `http://127.0.0.1:${port}/slack/events`;
  await waitFor(() => stderr.includes('Slack app listening'), 20_000);
}, 40_000);

afterAll(async () => {
  if (app.exitCode === null) {
    app.kill('SIGTERM');
    await once(app, 'exit');
  }
  await slackApi.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);

/** A `/bedrock why` whose response_url is `id`, so a listener that ran would leave a trace under that id. */
const whyBody = (id: string) =>
  slashCommandBody({ text: `why AccessDeniedException ${MARKER}`, response_url: slackApi.responseUrl(id) });

async function post(req: SignedRequest | { headers: Record<string, string>; body: string }) {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  return { status: res.status, text: await res.text() };
}

/** The process is alive and answers a normal signed command. */
async function expectStillServing() {
  const res = await post(signSlashCommand(SECRET, { text: 'help', response_url: slackApi.responseUrl() }));
  expect(res.status).toBe(200);
  expect(res.text).toContain('/bedrock why');
  expect(app.exitCode).toBeNull();
}

describe('request authenticity (SIG) against the running process', () => {
  const cases: Array<[string, (id: string) => { headers: Record<string, string>; body: string }, number]> = [
    ['a valid signature with a timestamp 301 s old', (id) => sign(SECRET, whyBody(id), FORM, now() - 301), 401],
    ['a valid signature with a timestamp 10 minutes ahead', (id) => sign(SECRET, whyBody(id), FORM, now() + 600), 401],
    ['a forged signature (valid hex, wrong key)', (id) => sign('another-key', whyBody(id), FORM), 401],
    [
      'a signature of the wrong length (v0=abc)',
      (id) => {
        const s = sign(SECRET, whyBody(id), FORM);
        return { ...s, headers: { ...s.headers, 'x-slack-signature': 'v0=abc' } };
      },
      401,
    ],
    [
      'no X-Slack-Signature',
      (id) => ({ body: whyBody(id), headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(now()) } }),
      401,
    ],
    [
      'no X-Slack-Request-Timestamp',
      (id) => {
        const body = whyBody(id);
        return { body, headers: { 'content-type': FORM, 'x-slack-signature': signature(SECRET, now(), body) } };
      },
      401,
    ],
    ...(['abc', '1e10', ''] as const).map(
      (ts) =>
        [
          `the non-numeric timestamp ${JSON.stringify(ts)}`,
          (id: string) => {
            const body = whyBody(id);
            return {
              body,
              headers: {
                'content-type': FORM,
                'x-slack-request-timestamp': ts,
                'x-slack-signature': signature(SECRET, ts, body),
              },
            };
          },
          401,
        ] as [string, (id: string) => { headers: Record<string, string>; body: string }, number],
    ),
    [
      'the v1= version prefix with the right hash',
      (id) => {
        const s = sign(SECRET, whyBody(id), FORM);
        return {
          ...s,
          headers: { ...s.headers, 'x-slack-signature': s.headers['x-slack-signature']?.replace(/^v0=/, 'v1=') ?? '' },
        };
      },
      401,
    ],
    [
      'an unsigned malformed JSON body sent as application/json',
      () => ({ body: `{"type":"event_callback","text":"${MARKER}",`, headers: { 'content-type': 'application/json' } }),
      401,
    ],
    [
      'a signed body over the 1 MiB cap',
      () => signEvent(SECRET, eventEnvelope({ event: { type: 'message', text: `${MARKER}${'x'.repeat(1_100_000)}` } })),
      413,
    ],
  ];

  it.each(cases)('refuses %s, runs no listener, logs no body, and keeps serving', async (name, build, status) => {
    const id = `sig-${name}`;
    const before = stderr.length;

    const res = await post(build(id));

    expect(res.status).toBe(status);
    // Nothing ran: no answer to the command's response_url, no Web API call made for it.
    await new Promise((r) => setTimeout(r, 50));
    expect(slackApi.responsesTo(id)).toEqual([]);
    expect(stderr.slice(before)).not.toContain(MARKER);
    await expectStillServing();
  });

  it('verifies header names whatever their case (X-SLACK-SIGNATURE, X-Slack-Request-Timestamp)', async () => {
    const signed = signSlashCommand(SECRET, { text: 'help', response_url: slackApi.responseUrl() });
    const { hostname, port, pathname } = new URL(url);
    // fetch lowercases header names; raw bytes keep the case Slack or a proxy might send.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: hostname,
          port,
          path: pathname,
          method: 'POST',
          headers: {
            'CONTENT-TYPE': FORM,
            'X-SLACK-SIGNATURE': signed.headers['x-slack-signature'] ?? '',
            'X-Slack-Request-Timestamp': signed.headers['x-slack-request-timestamp'] ?? '',
          },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(signed.body);
    });
    expect(status).toBe(200);
    await expectStillServing();
  });
});

describe('input handling against the running process', () => {
  it('reads a 40 KB pasted error for its model and region and answers within Slack block limits', async () => {
    const error =
      'botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the InvokeModel operation (arn:aws:bedrock:eu-west-1::foundation-model/cohere.command-r-plus-v1:0): Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.';
    const noise = 'INFO worker heartbeat ok <!channel> and more\n'.repeat(450);
    const paste = `${noise}${error}\n${noise}`;
    expect(paste.length).toBeGreaterThan(40_000);

    const res = await post(signSlashCommand(SECRET, { text: `why ${paste}`, response_url: slackApi.responseUrl() }));

    expect(res.status).toBe(200);
    const card = JSON.parse(res.text) as Parameters<typeof limitViolations>[0];
    expect(limitViolations(card)).toEqual([]);
    const text = visibleText(card);
    expect(text).toContain('cohere.command-r-plus-v1:0');
    expect(text).toContain('eu-west-1');
    await expectStillServing();
  });

  it('trusts nothing from a look-alike ARN and shows bidi and zero-width characters visibly', async () => {
    const pasted =
      'An error occurred (AccessDeniedException) when calling the InvokeModel operation: not authorized on ' +
      '\u0430rn:aws:bedrock:eu-west-1::foundation-model/cohere.command-r-plus-v1:0 \u202Egnp.live\u202C a\u200Bb';

    const res = await post(signSlashCommand(SECRET, { text: `why ${pasted}`, response_url: slackApi.responseUrl() }));

    expect(res.status).toBe(200);
    const card = JSON.parse(res.text) as { text: string; blocks: [] };
    const shown = visibleText(card);
    expect(shown).toContain('looks like an ARN but contains look-alike characters (U+0430); nothing was read from it');
    expect(shown).not.toContain('*Region:*');
    // No model button comes from it: only "Not what happened?", which every card has.
    expect(buttonsOf(card).map((b) => b.action_id)).toEqual([ACTION.notWhatHappened]);
    expect(shown).toContain('&lt;U+202E&gt;gnp.live&lt;U+202C&gt;');
    expect(res.text).not.toMatch(/[\p{Cf}]/u);
    await expectStillServing();
  });

  it('refuses a model id that fails the Bedrock pattern before any AWS call', async () => {
    std.world.calls.length = 0;
    const tooLong = `cohere.${'a'.repeat(140)}`;
    for (const bad of ['DROP_TABLE;', 'Anthropic.Claude-v2', 'anthropic/claude', tooLong]) {
      const id = `bad-model-${bad}`;
      const res = await post(
        signSlashCommand(SECRET, { text: `status ${bad}`, response_url: slackApi.responseUrl(id) }),
      );
      expect(res.status).toBe(200);
      // Refused in the ack itself, or (after "Checking …") by the check before it calls AWS.
      if (res.text.includes('Checking')) await slackApi.waitFor(() => slackApi.responsesTo(id).length > 0, 10_000);
      const answer = [res.text, ...slackApi.responsesTo(id).map((r) => JSON.stringify(r.body))].join('\n');
      expect(answer).toMatch(/not (look like )?a Bedrock model id/);
    }
    expect(std.world.calls).toEqual([]);
    await expectStillServing();
  });

  it('checks a valid model against AWS afterwards (control: the same process still reaches AWS)', async () => {
    const id = 'control-status';
    const res = await post(
      signSlashCommand(SECRET, { text: `status ${MODELS.nova} us-east-1`, response_url: slackApi.responseUrl(id) }),
    );
    expect(res.status).toBe(200);
    await slackApi.waitFor(() => slackApi.responsesTo(id).length > 0, 10_000);
    expect(visibleText(slackApi.responsesTo(id)[0]?.body ?? {})).toContain('not sold through AWS Marketplace');
  });
});
