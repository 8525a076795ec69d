// SQS (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Operation>`): SendMessage with DelaySeconds, ReceiveMessage and
// DeleteMessage with visibility timeouts, enough for the real @aws-sdk/client-sqs client and the worker's tests.
import { createHash, randomUUID } from 'node:crypto';
import { type Caller, FakeServiceError } from './protocol.js';
import type { FakeAwsWorld } from './world.js';

export interface FakeSqsMessage {
  messageId: string;
  body: string;
  /** World time (ms) from which the message may be received: DelaySeconds, then each visibility timeout. */
  visibleAt: number;
  delaySeconds: number;
  receiveCount: number;
  /** String message attributes as sent (name → value). */
  attributes: Record<string, string>;
  receiptHandle?: string;
  sentBy: string;
}

export interface FakeQueue {
  url: string;
  arn: string;
  name: string;
  visibilityTimeoutSeconds: number;
  messages: FakeSqsMessage[];
  /** Every message ever sent, in order (assertions on what was enqueued, delays included). */
  sent: FakeSqsMessage[];
}

export class FakeSqs {
  readonly queues = new Map<string, FakeQueue>();

  /** A queue the bot may send to; its URL is on the fake's endpoint so the SDK's queue-URL routing stays local. */
  createQueue(endpoint: string, accountId: string, name: string, visibilityTimeoutSeconds = 30): FakeQueue {
    const url = `${endpoint}/${accountId}/${name}`;
    const queue: FakeQueue = {
      url,
      arn: `arn:aws:sqs:us-east-1:${accountId}:${name}`,
      name,
      visibilityTimeoutSeconds,
      messages: [],
      sent: [],
    };
    this.queues.set(url, queue);
    return queue;
  }
}

const states = new WeakMap<FakeAwsWorld, FakeSqs>();

/** The SQS state of a world (kept beside it, so the world's own model stays Bedrock's and STS's). */
export function sqsOf(world: FakeAwsWorld): FakeSqs {
  let state = states.get(world);
  if (!state) {
    state = new FakeSqs();
    states.set(world, state);
  }
  return state;
}

/** SQS answers JSON errors with the awsQuery code in a header, which the SDK prefers (awsQueryCompatible). */
export class SqsError extends FakeServiceError {
  constructor(
    code: string,
    readonly queryCode: string,
    status: number,
    message: string,
  ) {
    super(code, status, message);
  }
}

export function handleSqs(
  world: FakeAwsWorld,
  caller: Caller,
  operation: string,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const state = sqsOf(world);
  const queueUrl = typeof input.QueueUrl === 'string' ? input.QueueUrl : '';
  const queue = [...state.queues.values()].find((q) => sameQueue(q.url, queueUrl));
  if (!queue) {
    throw new SqsError(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      400,
      'The specified queue does not exist.',
    );
  }
  const denied = world.authorize(caller.credential.principal, caller.arn, `sqs:${operation}`, queue.arn);
  if (denied) throw new FakeServiceError('AccessDenied', 403, denied);
  const now = world.now();
  switch (operation) {
    case 'SendMessage': {
      const body = input.MessageBody;
      if (typeof body !== 'string' || body.length === 0) {
        throw new SqsError(
          'InvalidParameterValue',
          'InvalidParameterValue',
          400,
          'The request must contain MessageBody',
        );
      }
      if (Buffer.byteLength(body) > 262_144) {
        throw new SqsError(
          'InvalidParameterValue',
          'InvalidParameterValue',
          400,
          'Message must be shorter than 262144 bytes.',
        );
      }
      const delaySeconds = input.DelaySeconds === undefined ? 0 : Number(input.DelaySeconds);
      if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 900) {
        throw new SqsError(
          'InvalidParameterValue',
          'InvalidParameterValue',
          400,
          `Value ${String(input.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`,
        );
      }
      const attributes: Record<string, string> = {};
      const sentAttributes = (input.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>;
      for (const [name, value] of Object.entries(sentAttributes)) {
        if (typeof value.StringValue === 'string') attributes[name] = value.StringValue;
      }
      const message: FakeSqsMessage = {
        messageId: randomUUID(),
        body,
        attributes,
        visibleAt: now + delaySeconds * 1000,
        delaySeconds,
        receiveCount: 0,
        sentBy: caller.arn,
      };
      queue.messages.push(message);
      queue.sent.push(message);
      return {
        MessageId: message.messageId,
        MD5OfMessageBody: md5(body),
        ...(Object.keys(attributes).length > 0 ? { MD5OfMessageAttributes: attributesMd5(sentAttributes) } : {}),
      };
    }
    case 'ReceiveMessage': {
      const max = Number(input.MaxNumberOfMessages ?? 1);
      const visibility = Number(input.VisibilityTimeout ?? queue.visibilityTimeoutSeconds);
      const ready = queue.messages.filter((m) => m.visibleAt <= now).slice(0, max);
      for (const m of ready) {
        m.receiveCount += 1;
        m.receiptHandle = randomUUID();
        m.visibleAt = now + visibility * 1000;
      }
      return {
        Messages: ready.map((m) => ({
          MessageId: m.messageId,
          ReceiptHandle: m.receiptHandle,
          MD5OfBody: md5(m.body),
          Body: m.body,
          Attributes: { ApproximateReceiveCount: String(m.receiveCount) },
        })),
      };
    }
    case 'DeleteMessage': {
      const index = queue.messages.findIndex((m) => m.receiptHandle === input.ReceiptHandle);
      if (index < 0) {
        throw new SqsError(
          'ReceiptHandleIsInvalid',
          'ReceiptHandleIsInvalid',
          400,
          'The input receipt handle is invalid.',
        );
      }
      queue.messages.splice(index, 1);
      return {};
    }
    default:
      throw new SqsError(
        'InvalidAction',
        'AWS.SimpleQueueService.UnsupportedOperation',
        400,
        `Unsupported: ${operation}`,
      );
  }
}

function sameQueue(a: string, b: string): boolean {
  try {
    return new URL(a).pathname === new URL(b).pathname;
  } catch {
    return false;
  }
}

/** SQS's digest of message attributes: names sorted, each as length-prefixed name, type and transport-typed value. */
function attributesMd5(attributes: Record<string, { DataType?: string; StringValue?: string }>): string {
  const hash = createHash('md5');
  const field = (value: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(value.length);
    hash.update(length);
    hash.update(value);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name] ?? {};
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(attribute.DataType ?? 'String', 'utf8'));
    hash.update(Buffer.from([1])); // 1 = string value
    field(Buffer.from(attribute.StringValue ?? '', 'utf8'));
  }
  return hash.digest('hex');
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
