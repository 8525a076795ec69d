import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqsRecord } from '../../../handlers/lambda/lambda-types.js';
import { createWorkerFunction, type WorkerFunction } from '../../../handlers/lambda/worker.js';
import { createJobSigner, type JobSigner } from '../../../src/jobs/job-seal.js';
import { MODELS } from '../../fakes/aws/standard-world.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';
import { type LambdaFixture, lambdaContext, sealedAttributes, startLambdaFixture } from './lambda-fixture.js';

let fx: LambdaFixture;
let worker: WorkerFunction;
let logs: string[];
let messageCounter = 0;

beforeAll(async () => {
  fx = await startLambdaFixture();
  logs = [];
  worker = await createWorkerFunction(fx.env, { writeLog: (line) => logs.push(line) });
});

afterAll(async () => {
  await worker?.close();
  await fx?.close();
});

afterEach(() => {
  fx.slackApi.reset();
  logs.length = 0;
});

const signer = createJobSigner(SIGNING_SECRET);

/** An SQS record as our functions send it: the body sealed with the key derived from the signing secret. */
function record(body: unknown, sealer: JobSigner = signer): SqsRecord {
  messageCounter += 1;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    messageId: `msg-${messageCounter}`,
    body: text,
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: sealedAttributes(sealer, text),
    eventSourceARN: fx.queue.arn,
  };
}

function statusJob(responseUrl: string) {
  return {
    kind: 'status_check',
    query: { modelRef: MODELS.haiku, account: 'sandbox', regions: ['us-east-1'] },
    responseUrl,
    replaceOriginal: true,
    reference: 'ref00001',
  };
}

describe('worker function: SQS batches', () => {
  it('runs a status check with the bot\u2019s AWS identity and answers on the response_url', async () => {
    const responseUrl = fx.slackApi.responseUrl('status-1');

    const result = await worker.handle({ Records: [record(statusJob(responseUrl))] }, lambdaContext());

    expect(result).toEqual({ batchItemFailures: [] });
    const [answer] = fx.slackApi.responsesTo('status-1');
    expect(answer?.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(JSON.stringify(answer?.body)).toContain('Claude 3 Haiku');
    const bedrock = fx.std.world.calls.filter(
      (c) => c.callerArn === fx.std.bot.arn && c.operation !== 'GetSecretValue',
    );
    expect(bedrock.length).toBeGreaterThan(0);
  });

  it('answers a status check that has no response_url by chat.postEphemeral to whoever asked', async () => {
    const { responseUrl: _none, ...job } = statusJob('unused');

    const result = await worker.handle(
      { Records: [record({ ...job, replyTo: { userId: 'U0USER0007', channelId: 'C0CHAN0007' } })] },
      lambdaContext(),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    const [ephemeral] = fx.slackApi.callsTo('chat.postEphemeral');
    expect(ephemeral?.args).toMatchObject({ channel: 'C0CHAN0007', user: 'U0USER0007' });
    expect(JSON.stringify(ephemeral?.args)).toContain('Claude 3 Haiku');
    expect(fx.slackApi.responses).toEqual([]);
  });

  it('refuses a job whose response_url is not Slack\u2019s, and posts nothing', async () => {
    const result = await worker.handle(
      { Records: [record(statusJob('http://169.254.169.254/latest/meta-data/'))] },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toHaveLength(1);
    expect(fx.slackApi.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('fails only the poison and forged messages of a batch; the good one runs', async () => {
    const good = record({
      kind: 'post_message',
      channel: 'C0CHAN0001',
      message: { text: 'hello' },
      reference: 'ref00002',
    });
    const poison = record('{"kind": "post_message", ');
    const unknownKind = record({ kind: 'delete_everything', reference: 'x' });
    const foreignUrl = record(statusJob('https://attacker.example/collect'));
    const extraField = record({
      kind: 'post_message',
      channel: 'C0CHAN0001',
      message: { text: 'hi' },
      reference: 'ref00003',
      token: 'xoxb-injected',
    });

    const result = await worker.handle(
      { Records: [poison, good, unknownKind, foreignUrl, extraField] },
      lambdaContext(),
    );

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [poison, unknownKind, foreignUrl, extraField].map((r) => r.messageId).sort(),
    );
    expect(fx.slackApi.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['hello']);
    const refused = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'job refused: not a job this worker runs');
    expect(refused).toHaveLength(4);
    expect(logs.join('\n')).not.toContain('attacker.example/collect');
    expect(logs.join('\n')).not.toContain('xoxb-injected');
  });

  it('refuses a message no function of ours signed, however well-formed its job', async () => {
    const job = { kind: 'post_message', channel: 'C0CHAN0001', message: { text: 'forged' }, reference: 'ref00009' };
    const unsigned = { ...record(job), messageAttributes: {} };
    const otherKey = record(job, createJobSigner('someone-elses-secret'));
    const tampered = { ...record(job), body: JSON.stringify({ ...job, channel: 'C0CHAN0002' }) };

    const result = await worker.handle({ Records: [unsigned, otherKey, tampered] }, lambdaContext());

    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      [unsigned, otherKey, tampered].map((r) => r.messageId),
    );
    expect(fx.slackApi.callsTo('chat.postMessage')).toEqual([]);
    const refused = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'job refused: missing or wrong signature');
    expect(refused).toHaveLength(3);
  });

  it('returns a message whose job failed to the queue (SQS retries it, then the DLQ takes it)', async () => {
    // A Slack that answers 503 to everything: the reply cannot be delivered, so the job must run again later.
    const down = createServer((_req, res) => res.writeHead(503).end('unavailable'));
    down.listen(0, '127.0.0.1');
    await once(down, 'listening');
    const origin = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    const degraded = await createWorkerFunction(
      { ...fx.env, SLACK_API_URL: `${origin}/api/` },
      { writeLog: (line) => logs.push(line) },
    );
    try {
      const reply = { kind: 'respond', message: { text: 'x' }, replaceOriginal: false };
      const failing = record({ ...reply, responseUrl: `${origin}/response/1`, reference: 'r4' });
      const forged = record({ ...reply, responseUrl: fx.slackApi.responseUrl('elsewhere'), reference: 'r5' });

      const result = await degraded.handle({ Records: [failing, forged] }, lambdaContext());

      expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([failing.messageId, forged.messageId]);
      const failed = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'job failed; SQS will retry it');
      expect(failed).toMatchObject({
        reference: 'r4',
        job: 'respond',
        messageId: failing.messageId,
        function: 'worker',
      });
      expect(failed.awsRequestId).toMatch(/^aws-req-/);
      expect(fx.slackApi.responsesTo('elsewhere')).toEqual([]);
    } finally {
      await degraded.close();
      down.close();
    }
  });
});
