// Wire plumbing shared by the fake's services: the caller from SigV4, error shapes, request ids, faults.
import { randomUUID } from 'node:crypto';
import type { Credential, FakeAwsWorld } from './world.js';

export interface WireRequest {
  method: string;
  /** Path without the query, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** A service error the handlers throw; each protocol renders it in its own wire shape. */
export class FakeServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** IAM denials carry `Message` (capital M) in restJson1 bodies; service errors `message`. */
    readonly messageKey: 'message' | 'Message' = 'message',
  ) {
    super(message);
  }
}

export interface Caller {
  credential: Credential;
  arn: string;
  region: string;
  service: string;
}

const AUTH = /Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/** Identifies the caller from the SigV4 Authorization header and checks its session token and expiry. */
export function callerOf(
  world: FakeAwsWorld,
  req: WireRequest,
  tokenError: { invalid: string; expired: string },
): Caller {
  const auth = header(req, 'authorization') ?? '';
  const m = AUTH.exec(auth);
  if (!m) throw new FakeServiceError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token');
  const [, accessKeyId = '', , region = '', service = ''] = m;
  const credential = world.credentials.get(accessKeyId);
  if (!credential || (credential.sessionToken && header(req, 'x-amz-security-token') !== credential.sessionToken)) {
    throw new FakeServiceError(tokenError.invalid, 403, 'The security token included in the request is invalid.');
  }
  if (credential.session && credential.session.expiresAt <= world.now()) {
    throw new FakeServiceError(tokenError.expired, 403, 'The security token included in the request is expired');
  }
  return { credential, arn: credential.session?.arn ?? credential.principal.arn, region, service };
}

export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function newRequestId(): string {
  return randomUUID();
}

/** Applies the next injected fault for `operation`: waits for latency faults, throws for failing ones. */
export async function applyFault(
  world: FakeAwsWorld,
  operation: string,
  errors: { throttle: FakeServiceError; server: FakeServiceError; denied: FakeServiceError },
  /** Aborted when the client closes the connection; a `hang` fault waits for it. */
  clientGone?: AbortSignal,
): Promise<void> {
  if (world.latencyMs > 0) await sleep(world.latencyMs);
  const list = world.faults.get(operation);
  const fault = list?.[0];
  if (!list || !fault) return;
  if (fault.times !== undefined) {
    fault.times -= 1;
    if (fault.times <= 0) list.shift();
  }
  switch (fault.kind) {
    case 'latency':
      await sleep(fault.ms);
      return;
    case 'wait':
      await fault.until;
      return;
    case 'throttle':
      throw errors.throttle;
    case 'server-error':
      throw errors.server;
    case 'access-denied':
      throw errors.denied;
    case 'error':
      throw new FakeServiceError(fault.code, fault.status, fault.message ?? `Injected ${fault.code}`);
    case 'hang':
      await new Promise<void>((resolve) => {
        if (!clientGone || clientGone.aborted) return resolve();
        clientGone.addEventListener('abort', () => resolve(), { once: true });
      });
      world.disconnects.push(operation);
      throw new FakeServiceError('RequestTimeout', 408, 'The client went away before the answer.');
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** RFC 3339, as the SDK's restJson1 deserializer insists on. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}
