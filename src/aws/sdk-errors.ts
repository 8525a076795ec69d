// SDK error → AwsCallError. Matches on `name` (the wire error code), never `instanceof`: STS codes such as
// `ExpiredToken` arrive as plain service exceptions (bedrock-api.md §1.2).
import { AwsCallError, type AwsErrorKind } from '../access/aws-call-error.js';
import type { CallOptions } from '../access/ports.js';

const KIND_BY_CODE: Record<string, AwsErrorKind> = {
  AccessDeniedException: 'access-denied',
  AccessDenied: 'access-denied',
  ResourceNotFoundException: 'not-found',
  ValidationException: 'validation',
  ValidationError: 'validation',
  ConflictException: 'conflict',
  ThrottlingException: 'throttled',
  Throttling: 'throttled',
  TooManyRequestsException: 'throttled',
  ServiceQuotaExceededException: 'throttled',
  InternalServerException: 'unavailable',
  InternalFailure: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  UnrecognizedClientException: 'bad-credentials',
  InvalidClientTokenId: 'bad-credentials',
  ExpiredTokenException: 'bad-credentials',
  ExpiredToken: 'bad-credentials',
  CredentialsProviderError: 'no-credentials',
  AbortError: 'timeout',
  TimeoutError: 'timeout',
};

interface SdkErrorLike {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

export function toAwsCallError(err: unknown, operation: string, action: string): AwsCallError {
  if (err instanceof AwsCallError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const code = e.name ?? 'Error';
  let kind = KIND_BY_CODE[code];
  if (!kind) {
    const status = e.$metadata?.httpStatusCode;
    if (status === 429) kind = 'throttled';
    else if (status !== undefined && status >= 500) kind = 'unavailable';
    else if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket hang up/i.test(e.message ?? '')) kind = 'unavailable';
    else kind = 'other';
  }
  const message = e.message || code;
  return new AwsCallError(kind, operation, action, message, code, e.$metadata?.requestId);
}

/** Runs one SDK call, translating its failure. */
export async function call<T>(operation: string, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toAwsCallError(err, operation, action);
  }
}

/** The SDK's per-call options: the abort signal reaches the HTTP handler, which destroys the request. */
export function sendOptions(options: CallOptions | undefined): { abortSignal?: AbortSignal } {
  return options?.signal ? { abortSignal: options.signal } : {};
}
