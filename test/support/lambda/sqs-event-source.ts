// The worker's SQS event source mapping, as Lambda runs it on the function's behalf: receives up to `batchSize`
// visible messages (each receive hides it for the queue's visibility timeout and counts a receive), hands them to the
// function as one SQS event, deletes what the function did not report failed (ReportBatchItemFailures) and, past the
// queue's maxReceiveCount, moves a message to the dead-letter queue instead of delivering it again.
import { createHash, randomUUID } from 'node:crypto';
import type { FakeQueue, FakeSqsMessage } from '../../fakes/aws/sqs.js';

export interface SqsEventSourceOptions {
  queue: FakeQueue;
  deadLetterQueue: FakeQueue;
  batchSize: number;
  maxReceiveCount: number;
  reportBatchItemFailures: boolean;
  now: () => number;
  region: string;
  /** Invokes the function; undefined result or `error` = the whole batch failed. */
  invoke(event: unknown): Promise<{ result?: unknown; error?: string }>;
}

export interface Delivery {
  /** The jobs handed over, by their `kind`. */
  kinds: string[];
  /** Message ids the function reported failed (they return to the queue). */
  failed: string[];
  error?: string;
}

export interface SqsEventSource {
  /** One poll: undefined when no message was visible. */
  poll(): Promise<Delivery | undefined>;
  /** Polls until no message is visible. */
  drain(): Promise<Delivery[]>;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** A message as the event source hands it to the function (the SQS event's record shape). */
function sqsRecord(
  m: FakeSqsMessage,
  meta: { sentAt?: number; firstReceivedAt?: number; queueArn: string; region: string },
) {
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(meta.sentAt),
      SenderId: m.sentBy.split(':')[4] ?? '',
      ApproximateFirstReceiveTimestamp: String(meta.firstReceivedAt),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.attributes).map(([name, value]) => [
        name,
        { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' },
      ]),
    ),
    md5OfBody: md5(m.body),
    eventSource: 'aws:sqs',
    eventSourceARN: meta.queueArn,
    awsRegion: meta.region,
  };
}

function kindOf(m: FakeSqsMessage): string {
  try {
    return String((JSON.parse(m.body) as { kind?: unknown }).kind);
  } catch {
    return '(not JSON)';
  }
}

export function sqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const { queue } = options;
  const firstReceived = new WeakMap<FakeSqsMessage, number>();
  const sentAt = new WeakMap<FakeSqsMessage, number>();

  const record = (m: FakeSqsMessage) =>
    sqsRecord(m, {
      sentAt: sentAt.get(m),
      firstReceivedAt: firstReceived.get(m),
      queueArn: queue.arn,
      region: options.region,
    });

  const receive = (): FakeSqsMessage[] => {
    const now = options.now();
    const batch: FakeSqsMessage[] = [];
    for (const m of [...queue.messages]) {
      if (batch.length >= options.batchSize) break;
      if (m.visibleAt > now) continue;
      if (!sentAt.has(m)) sentAt.set(m, now - m.delaySeconds * 1000);
      if (m.receiveCount >= options.maxReceiveCount) {
        // The redrive policy: this receive would be one too many.
        queue.messages.splice(queue.messages.indexOf(m), 1);
        options.deadLetterQueue.messages.push(m);
        options.deadLetterQueue.sent.push(m);
        continue;
      }
      m.receiveCount += 1;
      m.receiptHandle = randomUUID();
      m.visibleAt = now + queue.visibilityTimeoutSeconds * 1000;
      if (!firstReceived.has(m)) firstReceived.set(m, now);
      batch.push(m);
    }
    return batch;
  };

  const poll = async (): Promise<Delivery | undefined> => {
    const batch = receive();
    if (batch.length === 0) return undefined;
    const answer = await options.invoke({ Records: batch.map(record) });
    const kinds = batch.map(kindOf);
    if (answer.error !== undefined || answer.result === undefined) {
      // A function error returns the whole batch: each message reappears after its visibility timeout.
      return { kinds, failed: batch.map((m) => m.messageId), error: answer.error ?? 'no result' };
    }
    const reported = options.reportBatchItemFailures
      ? ((answer.result as { batchItemFailures?: Array<{ itemIdentifier: string }> }).batchItemFailures ?? [])
      : [];
    const failed = new Set(reported.map((f) => f.itemIdentifier));
    for (const m of batch) {
      if (failed.has(m.messageId)) continue;
      const index = queue.messages.indexOf(m);
      if (index >= 0) queue.messages.splice(index, 1);
    }
    return { kinds, failed: [...failed] };
  };

  return {
    poll,
    async drain() {
      const deliveries: Delivery[] = [];
      for (let d = await poll(); d; d = await poll()) deliveries.push(d);
      return deliveries;
    },
  };
}
