import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envClientConfig } from '../../src/aws/env-client-config.js';
import { createJobSigner, JOB_ID_ATTRIBUTE, JOB_SIGNATURE_ATTRIBUTE } from '../../src/jobs/job-seal.js';
import { createSqsJobQueue, JobTooLargeError } from '../../src/jobs/sqs-job-queue.js';
import { silentLogger } from '../../src/log.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { type FakeQueue, sqsOf } from '../fakes/aws/sqs.js';
import { FakeAwsWorld } from '../fakes/aws/world.js';

type Job = { kind: 'activate'; requestId: string; note?: string };

let world: FakeAwsWorld;
let fake: FakeAws;
let queue: FakeQueue;
let client: SQSClient;

function clientFor(keys: { accessKeyId: string; secretAccessKey: string }): SQSClient {
  const env = { ...fake.env, AWS_REGION: 'us-east-1', ...toEnv(keys) };
  return new SQSClient({ ...envClientConfig(env, 'SQS'), maxAttempts: 1 });
}

function toEnv(keys: { accessKeyId: string; secretAccessKey: string }) {
  return { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
}

beforeEach(async () => {
  world = new FakeAwsWorld({ now: () => 1_000_000 });
  world.addAccount('111122223333');
  fake = await startFakeAws(world);
  queue = sqsOf(world).createQueue(fake.endpoints.sqs, '111122223333', 'bedrock-doctor-jobs');
  client = clientFor(world.addUser('111122223333', 'slack-fn', { allow: ['sqs:SendMessage'] }));
});

afterEach(async () => {
  client.destroy();
  await fake.close();
});

describe('SQS job queue', () => {
  it('sends each job as one JSON message through the real SQS client', async () => {
    const jobs = createSqsJobQueue<Job>({ client, queueUrl: queue.url, logger: silentLogger });

    await jobs.enqueue({ kind: 'activate', requestId: 'r-1', note: 'em dash — “quotes” 🚀 漢字' });

    expect(queue.sent.map((m) => JSON.parse(m.body))).toEqual([
      { kind: 'activate', requestId: 'r-1', note: 'em dash — “quotes” 🚀 漢字' },
    ]);
    expect(queue.sent[0]?.delaySeconds).toBe(0);
    expect(world.calls.map((c) => c.operation)).toEqual(['SendMessage']);
  });

  it('delays a re-enqueued job, capped at SQS\u2019s 15 minutes', async () => {
    const jobs = createSqsJobQueue<Job>({ client, queueUrl: queue.url, logger: silentLogger });

    await jobs.enqueueAfter({ kind: 'activate', requestId: 'r-2' }, 30);
    await jobs.enqueueAfter({ kind: 'activate', requestId: 'r-3' }, 4_000);
    await jobs.enqueueAfter({ kind: 'activate', requestId: 'r-4' }, 0.2);

    expect(queue.sent.map((m) => m.delaySeconds)).toEqual([30, 900, 1]);
    expect(queue.sent[0]?.visibleAt).toBe(1_000_000 + 30_000);
  });

  it('signs each message so the worker can tell our jobs from anyone else\u2019s', async () => {
    const signer = createJobSigner('signing-secret-1');
    const jobs = createSqsJobQueue<Job>({ client, queueUrl: queue.url, logger: silentLogger, signer });

    await jobs.enqueue({ kind: 'activate', requestId: 'r-5' });

    const [sent] = queue.sent;
    const body = sent?.body ?? '';
    const attributes = sent?.attributes ?? {};
    const at = Date.now();
    expect(signer.open(body, attributes, at)).toMatchObject({ ok: true, key: 'current' });
    expect(attributes[JOB_ID_ATTRIBUTE]).toMatch(/^[0-9a-f-]{36}$/);
    expect(signer.open(body.replace('r-5', 'r-6'), attributes, at)).toMatchObject({ ok: false, reason: 'signature' });
    expect(createJobSigner('another-secret').open(body, attributes, at)).toMatchObject({ ok: false });
    expect(signer.open(body, { ...attributes, [JOB_SIGNATURE_ATTRIBUTE]: undefined }, at)).toMatchObject({ ok: false });
    // The id and time are signed too: a copy with a new id (to dodge the worker's memory of ids) is refused.
    expect(signer.open(body, { ...attributes, [JOB_ID_ATTRIBUTE]: 'fresh-id' }, at)).toMatchObject({ ok: false });
  });

  it('refuses a job larger than an SQS message before calling AWS', async () => {
    const jobs = createSqsJobQueue<Job>({ client, queueUrl: queue.url, logger: silentLogger });

    await expect(jobs.enqueue({ kind: 'activate', requestId: 'r', note: 'x'.repeat(300_000) })).rejects.toThrow(
      JobTooLargeError,
    );
    expect(world.calls).toEqual([]);
  });

  it('surfaces SQS\u2019s own errors: a missing queue and a caller without sqs:SendMessage', async () => {
    const missing = createSqsJobQueue<Job>({
      client,
      queueUrl: `${fake.endpoints.sqs}/111122223333/no-such-queue`,
      logger: silentLogger,
    });
    await expect(missing.enqueue({ kind: 'activate', requestId: 'r' })).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });

    const reader = clientFor(world.addUser('111122223333', 'reader', { allow: ['sqs:ReceiveMessage'] }));
    const denied = createSqsJobQueue<Job>({ client: reader, queueUrl: queue.url, logger: silentLogger });
    await expect(denied.enqueue({ kind: 'activate', requestId: 'r' })).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('sqs:SendMessage'),
    });
    reader.destroy();
    expect(queue.sent).toEqual([]);
  });
});
