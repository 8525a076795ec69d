import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackFunction, handler, type SlackFunction } from '../../../handlers/lambda/slack.js';
import {
  eventEnvelope,
  sign,
  signEvent,
  signInteraction,
  signSlashCommand,
  slashCommandBody,
} from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';
import { functionUrlEvent, type LambdaFixture, lambdaContext, startLambdaFixture } from './lambda-fixture.js';

const PASTED =
  'An error occurred (AccessDeniedException) when calling the InvokeModel operation: Model access is denied due to ' +
  'IAM user or service role is not authorized to perform the required AWS Marketplace actions ' +
  '(aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.';
/** Text Slack sends as UTF-8 that ASCII decoding would mangle. */
const NON_ASCII = ' — “quoted” 🚀 模型访问被拒绝';

let fx: LambdaFixture;
let fn: SlackFunction;
let logs: string[];

beforeAll(async () => {
  fx = await startLambdaFixture();
  logs = [];
  fn = await createSlackFunction(fx.slackEnv, { writeLog: (line) => logs.push(line) });
});

afterAll(async () => {
  await fn?.close();
  await fx?.close();
});

afterEach(() => {
  fx.queue.sent.length = 0;
  fx.queue.messages.length = 0;
  fx.slackApi.reset();
  logs.length = 0;
});

/** A DM to the bot with `text` pasted in (an Events API envelope). */
function dm(text: string) {
  return eventEnvelope({
    event: {
      type: 'message',
      channel_type: 'im',
      channel: 'D0DM000001',
      user: 'U0USER0001',
      text,
      ts: '1700000000.000100',
    },
  });
}

function why(text = PASTED) {
  return signSlashCommand(SIGNING_SECRET, { text: `why ${text}`, response_url: fx.slackApi.responseUrl() });
}

async function invoke(event: Record<string, unknown>) {
  return fn.handle(event, lambdaContext());
}

function ackOf(result: { body?: string }): { text: string; blocks?: unknown[] } {
  return JSON.parse(result.body ?? '{}');
}

describe('Slack function: a Function URL event through the front door into Bolt', () => {
  it('answers /bedrock why inside the ack, with no job, no Slack call and no AWS call beyond the cold start', async () => {
    const callsBefore = fx.std.world.calls.length;

    const result = await invoke(functionUrlEvent(why()));

    expect(result.statusCode).toBe(200);
    const ack = ackOf(result);
    expect(ack.text).toMatch(/Marketplace/);
    expect(JSON.stringify(ack.blocks)).toContain('aws-marketplace:Subscribe');
    expect(fx.queue.sent).toEqual([]);
    expect(fx.slackApi.calls).toEqual([]);
    expect(fx.std.world.calls.slice(callsBefore)).toEqual([]);
  });

  it('read its Slack secret once, from Secrets Manager, at cold start', () => {
    expect(fx.secret.reads).toBe(1);
    expect(fx.std.world.calls.map((c) => c.operation)).toEqual(['GetSecretValue']);
  });

  it.each([
    ['a plain body', false],
    ['a base64 body', true],
  ])('verifies the signature over the exact UTF-8 bytes of %s with non-ASCII text', async (_, base64) => {
    // A slash command arrives percent-encoded (ASCII); an Events API body carries the UTF-8 bytes themselves.
    const command = await invoke(functionUrlEvent(why(`${PASTED}${NON_ASCII}`), { base64 }));
    const event = await invoke(functionUrlEvent(signEvent(SIGNING_SECRET, dm(`${PASTED}${NON_ASCII}`)), { base64 }));

    expect(command.statusCode).toBe(200);
    expect(ackOf(command).text).toMatch(/Marketplace/);
    expect(event.statusCode).toBe(200);
    expect(fx.queue.sent.map((m) => JSON.parse(m.body).kind)).toEqual(['post_message']);
  });

  it('refuses a base64 body whose signature was made over other bytes', async () => {
    const signed = signEvent(SIGNING_SECRET, dm(`${PASTED}${NON_ASCII}`));
    const latin1 = Buffer.from(Buffer.from(signed.body, 'utf8').toString('latin1'), 'utf8').toString('base64');

    const result = await invoke({ ...functionUrlEvent(signed, { base64: true }), body: latin1 });

    expect(result.statusCode).toBe(401);
    expect(fx.queue.sent).toEqual([]);
  });

  it.each([
    ['six minutes old', -360],
    ['six minutes in the future', 360],
  ])('refuses a timestamp %s', async (_, offsetSeconds) => {
    const timestamp = Math.floor(Date.now() / 1000) + offsetSeconds;
    const signed = signSlashCommand(
      SIGNING_SECRET,
      { text: `why ${PASTED}`, response_url: fx.slackApi.responseUrl() },
      timestamp,
    );

    const result = await invoke(functionUrlEvent(signed));

    expect(result.statusCode).toBe(401);
    expect(fx.queue.sent).toEqual([]);
  });

  it('refuses a forged signature, an unsigned body, a wrong content type, a GET and an oversized body', async () => {
    const good = why();
    const forged = { ...good, headers: { ...good.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } };
    expect((await invoke(functionUrlEvent(forged))).statusCode).toBe(401);

    const unsigned = { body: good.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    expect((await invoke(functionUrlEvent(unsigned))).statusCode).toBe(401);

    const plainText = sign(SIGNING_SECRET, good.body, 'text/plain');
    expect((await invoke(functionUrlEvent(plainText))).statusCode).toBe(415);

    expect((await invoke(functionUrlEvent(good, { method: 'GET' }))).statusCode).toBe(405);

    const huge = sign(
      SIGNING_SECRET,
      slashCommandBody({ text: `why ${'x'.repeat(1_100_000)}`, response_url: fx.slackApi.responseUrl() }),
      'application/x-www-form-urlencoded',
    );
    expect((await invoke(functionUrlEvent(huge))).statusCode).toBe(413);
  });

  it('answers a malformed but signed body 400 (payload=null), never 500', async () => {
    const nullPayload = sign(SIGNING_SECRET, 'payload=null', 'application/x-www-form-urlencoded');
    const notJson = sign(SIGNING_SECRET, '{"type":', 'application/json');

    expect((await invoke(functionUrlEvent(nullPayload))).statusCode).toBe(400);
    expect((await invoke(functionUrlEvent(notJson))).statusCode).toBe(400);
    expect(logs.map((l) => JSON.parse(l).msg)).toEqual([
      'request refused at the front door',
      'request refused at the front door',
    ]);
  });

  it('hands a status check to SQS after the ack, and calls no Bedrock API itself', async () => {
    const responseUrl = fx.slackApi.responseUrl();
    const signed = signSlashCommand(SIGNING_SECRET, {
      text: 'status anthropic.claude-3-haiku-20240307-v1:0',
      response_url: responseUrl,
    });
    const callsBefore = fx.std.world.calls.length;

    const result = await invoke(functionUrlEvent(signed, { base64: true }));

    expect(result.statusCode).toBe(200);
    expect(fx.queue.sent).toHaveLength(1);
    const job = JSON.parse(fx.queue.sent[0]?.body ?? '{}');
    expect(job).toMatchObject({ kind: 'status_check', responseUrl, query: expect.any(Object) });
    expect(fx.std.world.calls.slice(callsBefore).map((c) => c.operation)).toEqual(['SendMessage']);
    expect(fx.queue.sent[0]?.sentBy).toMatch(/user\/bedrock-doctor-slack$/);
  });

  it('keeps a response_url that is not Slack\u2019s out of the job: the worker will answer through the Web API', async () => {
    const signed = signSlashCommand(SIGNING_SECRET, {
      text: 'status anthropic.claude-3-haiku-20240307-v1:0',
      response_url: 'http://169.254.169.254/latest/meta-data/iam/',
      user_id: 'U0USER0007',
      channel_id: 'C0CHAN0007',
    });

    const result = await invoke(functionUrlEvent(signed, { base64: true }));

    expect(result.statusCode).toBe(200);
    const job = JSON.parse(fx.queue.sent[0]?.body ?? '{}');
    expect(job).toMatchObject({ kind: 'status_check', replyTo: { userId: 'U0USER0007', channelId: 'C0CHAN0007' } });
    expect(job.responseUrl).toBeUndefined();
    expect(fx.queue.sent[0]?.body).not.toContain('169.254.169.254');
    expect(logs.join('\n')).toContain('response_url is not a Slack response URL');
  });

  it('answers a pasted error in a DM once, by a job, even when Slack delivers the event twice', async () => {
    const envelope = dm(PASTED);

    const first = await invoke(functionUrlEvent(signEvent(SIGNING_SECRET, envelope)));
    const retry = await invoke(functionUrlEvent(signEvent(SIGNING_SECRET, envelope), { base64: true }));

    expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
    expect(fx.queue.sent.map((m) => JSON.parse(m.body).kind)).toEqual(['post_message']);
    const stored = await fx.raw.scan({ TableName: fx.table });
    expect(stored.Items?.some((item) => item.pk?.S === `DELIVERY#slack-event:${envelope.event_id}`)).toBe(true);
  });

  it('acknowledges a button press it has no listener for (no 3 s wait, no 404 retry storm)', async () => {
    const signed = signInteraction(SIGNING_SECRET, {
      type: 'block_actions',
      team: { id: 'T0TEAM0001' },
      user: { id: 'U0USER0001', team_id: 'T0TEAM0001' },
      api_app_id: 'A0APP00001',
      actions: [{ action_id: 'not_ours', type: 'button', value: 'x', action_ts: '1' }],
      response_url: fx.slackApi.responseUrl(),
    });

    const result = await invoke(functionUrlEvent(signed));

    expect(result.statusCode).toBe(200);
  });

  it('logs JSON lines carrying the Lambda request id, never the token or signing secret', async () => {
    const forged = why();
    forged.headers['x-slack-signature'] = `v0=${'1'.repeat(64)}`;

    await fn.handle(functionUrlEvent(forged), { awsRequestId: 'req-abc-123' });

    const lines = logs.map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', awsRequestId: 'req-abc-123', function: 'slack', status: 401 }),
    ]);
    expect(logs.join('\n')).not.toContain(SIGNING_SECRET);
    expect(logs.join('\n')).not.toMatch(/xoxb-/);
  });
});

describe('the exported handler (process.env, composed once per cold start)', () => {
  it('reads the secret once across invocations, and tries again after a cold start that failed', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, fx.slackEnv, { LOG_LEVEL: 'error' });
    fx.std.world.faults.set('GetSecretValue', [{ kind: 'server-error', times: 1 }]);
    const readsBefore = fx.secret.reads;
    try {
      await expect(handler(functionUrlEvent(why()), lambdaContext())).rejects.toThrow(/SLACK_SECRET_ARN/);

      const first = await handler(functionUrlEvent(why()), lambdaContext());
      const second = await handler(functionUrlEvent(why(), { base64: true }), lambdaContext());

      expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
      expect(fx.secret.reads).toBe(readsBefore + 1);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
