// The few Lambda event shapes the handlers read (Function URL = API Gateway payload 2.0; SQS; EventBridge), typed
// here rather than through @types/aws-lambda, which the project does not depend on.

export interface LambdaContext {
  awsRequestId: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
}

export interface FunctionUrlEvent {
  rawPath?: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string }; requestId?: string; timeEpoch?: number };
}

export interface FunctionUrlResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SqsRecord {
  messageId: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string };
  messageAttributes?: Record<string, { stringValue?: string; dataType?: string }>;
  eventSourceARN?: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** SQS partial batch response: only these messages return to the queue (and, after their retries, the DLQ). */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export interface ScheduledEvent {
  id?: string;
  time?: string;
  'detail-type'?: string;
}
