// `npm run bundle`'s output, run as Lambda would run it: each bundle copied alone into an empty folder (no
// node_modules), imported by a fresh Node process and invoked once, against the local DynamoDB, SQS, Secrets Manager
// and Slack. A dependency left out of a bundle, or one that only works from this checkout, fails here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleResult, bundleLambda, LAMBDA_FUNCTIONS } from '../../../scripts/bundle-lambda.js';
import { createJobSigner } from '../../../src/jobs/job-seal.js';
import { eventEnvelope, signEvent, signSlashCommand } from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';
import { functionUrlEvent, type LambdaFixture, sealedAttributes, startLambdaFixture } from './lambda-fixture.js';
import { isolateBundle, runBundle } from './run-bundle.js';

const PASTED =
  'AccessDeniedException: Model access is denied due to IAM user or service role is not authorized to perform the ' +
  'required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) — “模型” 🚀';

let fx: LambdaFixture;
const bundles = new Map<string, BundleResult & { isolated: string }>();

beforeAll(async () => {
  fx = await startLambdaFixture();
  const outDir = mkdtempSync(join(tmpdir(), 'lambda-dist-'));
  for (const name of LAMBDA_FUNCTIONS) {
    const result = await bundleLambda(name, outDir);
    bundles.set(name, { ...result, isolated: isolateBundle(result.file) });
  }
}, 180_000);

afterAll(() => fx?.close());

function bundle(name: string) {
  const b = bundles.get(name);
  if (!b) throw new Error(`no bundle ${name}`);
  return b;
}

/** The modules a bundle was built from, as paths relative to the checkout. */
function inputs(name: string): string[] {
  return Object.keys(bundle(name).metafile.inputs);
}

describe('Lambda bundles, each alone in an empty folder', () => {
  it('slack: answers a signed /bedrock why, base64-encoded, inside the ack', async () => {
    const signed = signSlashCommand(SIGNING_SECRET, { text: `why ${PASTED}`, response_url: fx.slackApi.responseUrl() });

    const run = await runBundle(bundle('slack').isolated, functionUrlEvent(signed, { base64: true }), fx.slackEnv);

    expect(run.arity).toBe(2);
    expect(run.result.statusCode).toBe(200);
    expect(JSON.parse(run.result.body ?? '{}').text).toMatch(/Marketplace/);
  }, 60_000);

  it('slack: reads its secret, records the delivery in DynamoDB and enqueues the reply on SQS', async () => {
    const readsBefore = fx.secret.reads;
    const envelope = eventEnvelope({
      event: {
        type: 'message',
        channel_type: 'im',
        channel: 'D0DM000009',
        user: 'U0USER0001',
        text: PASTED,
        ts: '1.2',
      },
    });

    const run = await runBundle(
      bundle('slack').isolated,
      functionUrlEvent(signEvent(SIGNING_SECRET, envelope), { base64: true }),
      fx.slackEnv,
    );

    expect(run.result.statusCode).toBe(200);
    expect(fx.secret.reads).toBe(readsBefore + 1);
    const delivery = await fx.raw.getItem({
      TableName: fx.table,
      Key: { pk: { S: `DELIVERY#slack-event:${envelope.event_id}` }, sk: { S: 'DELIVERY' } },
    });
    expect(delivery.Item).toBeDefined();
    expect(fx.queue.sent.map((m) => JSON.parse(m.body))).toContainEqual(
      expect.objectContaining({ kind: 'post_message', channel: 'D0DM000009' }),
    );
  }, 60_000);

  it('slack: at LOG_LEVEL=debug logs no signature, pasted key, session token, response_url or raw body', async () => {
    const pasted = [
      'AccessDeniedException with AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_session_token = IQoJb3JpZ2luX2VjEHYaCXVzLWVhc3QtMSJHMEUCIQDexampleSessionToken0123456789',
    ].join('\n');
    const responseUrl = fx.slackApi.responseUrl('debug-log-secret-path');
    const signed = signSlashCommand(SIGNING_SECRET, { text: `why ${pasted}`, response_url: responseUrl });

    const run = await runBundle(bundle('slack').isolated, functionUrlEvent(signed, { base64: true }), {
      ...fx.slackEnv,
      LOG_LEVEL: 'debug',
    });

    expect(run.result.statusCode).toBe(200);
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.some((line) => JSON.parse(line).level === 'debug')).toBe(true);
    const forbidden = [
      signed.headers['x-slack-signature']?.slice(3) ?? 'no signature',
      'AKIAIOSFODNN7EXAMPLE',
      'wJalrXUtnFEMI',
      'IQoJb3JpZ2lu',
      'debug-log-secret-path',
      'legacy-verification-token',
      Buffer.from(signed.body, 'utf8').toString('base64').slice(0, 40),
      'text=why',
    ];
    for (const secret of forbidden) expect(run.stderr).not.toContain(secret);
  }, 60_000);

  it('worker: runs a job from an SQS event and reports no failures', async () => {
    const body = JSON.stringify({
      kind: 'post_message',
      channel: 'C0CHAN0001',
      message: { text: 'from the bundle' },
      reference: 'bundle01',
    });
    const event = {
      Records: [
        {
          messageId: 'bundle-msg-1',
          body,
          attributes: { ApproximateReceiveCount: '1' },
          messageAttributes: sealedAttributes(createJobSigner(SIGNING_SECRET), body),
        },
      ],
    };

    const run = await runBundle(bundle('worker').isolated, event, fx.env);

    expect(run.arity).toBe(2);
    expect(run.result).toEqual({ batchItemFailures: [] });
    expect(fx.slackApi.callsTo('chat.postMessage').map((c) => c.args.text)).toContain('from the bundle');
  }, 60_000);

  it('reconciler: runs the approval flow\u2019s reconcile on a scheduled event', async () => {
    const run = await runBundle(
      bundle('reconciler').isolated,
      { 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString() },
      fx.env,
    );

    expect(run.arity).toBe(2);
    expect(run.result).toEqual({ redriven: 0, reminded: 0, expired: 0, cardsPosted: 0 });
  }, 60_000);

  it('the Slack bundle holds no Bedrock or STS client; no bundle holds dynalite or LevelDB', () => {
    expect(
      inputs('slack').filter((p) => /client-bedrock|client-sts|src\/aws\/(aws-clients|sts|bedrock)/.test(p)),
    ).toEqual([]);
    for (const name of LAMBDA_FUNCTIONS) {
      expect(inputs(name).filter((p) => /node_modules\/(dynalite|level|classic-level|leveldown)\//.test(p))).toEqual(
        [],
      );
    }
    expect(inputs('worker').some((p) => p.includes('client-bedrock'))).toBe(true);
  });

  it('leaves out what a Lambda never runs: other receivers, OAuth, and (Slack) the credential chain', () => {
    const unused = /node_modules\/(express|@slack\/socket-mode|undici|iconv-lite|@slack\/oauth|jsonwebtoken)\//;
    for (const name of LAMBDA_FUNCTIONS) expect(inputs(name).filter((p) => unused.test(p))).toEqual([]);
    // The worker keeps the providers package for fromTemporaryCredentials (role sessions); the Slack function
    // signs with the environment's keys alone.
    const chain = /node_modules\/@aws-sdk\/(credential-provider-(sso|ini|process|web-identity|node)|nested-clients)\//;
    expect(inputs('slack').filter((p) => chain.test(p))).toEqual([]);
  });
});
