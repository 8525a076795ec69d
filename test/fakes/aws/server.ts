// The fake AWS HTTP endpoints: HTTP/1.1 for the Bedrock control plane and STS (the SDK's default handler for them),
// h2c for Bedrock runtime (its client speaks HTTP/2 by default; Node 20 can't serve both on one plaintext port).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { controlResource, matchControlRoute, type RestResult } from './bedrock-control.js';
import { handleRuntime, matchRuntimeRoute } from './bedrock-runtime.js';
import { handleOrganizations } from './organizations.js';
import {
  applyFault,
  type Caller,
  callerOf,
  FakeServiceError,
  header,
  newRequestId,
  sleep,
  type WireRequest,
  type WireResponse,
} from './protocol.js';
import { handleSecretsManager } from './secrets-manager.js';
import { handleSqs, SqsError } from './sqs.js';
import { handleSts, stsErrorXml } from './sts.js';
import { FakeAwsWorld } from './world.js';

export interface FakeAws {
  world: FakeAwsWorld;
  endpoints: {
    bedrock: string;
    bedrockRuntime: string;
    sts: string;
    sqs: string;
    secretsManager: string;
    organizations: string;
  };
  /** `AWS_ENDPOINT_URL_*` variables that point the real SDK clients here. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const CORAL = ':http://internal.amazon.com/coral/com.amazon.bedrock/';

/** Starts the fake on 127.0.0.1 (port 0 = any free port) for the given world. */
export async function startFakeAws(
  world: FakeAwsWorld = new FakeAwsWorld(),
  options: { port?: number } = {},
): Promise<FakeAws> {
  const handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    void serve(world, req, res);
  };
  const h1 = http.createServer(handler);
  const h2 = http2.createServer(handler);
  const h1Port = await listen(h1, options.port ?? 0);
  const h2Port = await listen(h2, options.port ? options.port + 1 : 0);
  const endpoints = {
    bedrock: `http://127.0.0.1:${h1Port}`,
    bedrockRuntime: `http://127.0.0.1:${h2Port}`,
    sts: `http://127.0.0.1:${h1Port}`,
    sqs: `http://127.0.0.1:${h1Port}`,
    secretsManager: `http://127.0.0.1:${h1Port}`,
    organizations: `http://127.0.0.1:${h1Port}`,
  };
  return {
    world,
    endpoints,
    env: {
      AWS_ENDPOINT_URL_BEDROCK: endpoints.bedrock,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: endpoints.bedrockRuntime,
      AWS_ENDPOINT_URL_STS: endpoints.sts,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
      AWS_ENDPOINT_URL_ORGANIZATIONS: endpoints.organizations,
    },
    close: async () => {
      h1.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => h1.close(() => resolve())),
        new Promise<void>((resolve) => h2.close(() => resolve())),
      ]);
    },
  };
}

function listen(server: http.Server | http2.Http2Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function serve(
  world: FakeAwsWorld,
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  // A client that closes before the answer (an aborted SDK call) ends a held request.
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) gone.abort();
  });
  const url = new URL(req.url ?? '/', 'http://fake');
  const wire: WireRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks),
  };
  let out: WireResponse;
  try {
    out = await dispatch(world, wire, gone.signal);
  } catch (err) {
    out = { status: 500, headers: { 'content-type': 'text/plain' }, body: `fake AWS bug: ${String(err)}` };
  }
  if (gone.signal.aborted) return;
  res.writeHead(out.status, out.headers);
  res.end(out.body);
}

async function dispatch(world: FakeAwsWorld, req: WireRequest, clientGone: AbortSignal): Promise<WireResponse> {
  const requestId = newRequestId();
  const target = header(req, 'x-amz-target');
  if (req.method === 'POST' && target) return jsonCall(world, req, target, requestId);
  if (req.method === 'POST' && req.path === '/') {
    return stsCall(world, req, requestId, clientGone);
  }
  const runtime = matchRuntimeRoute(req.method, req.path);
  const control = runtime ? undefined : matchControlRoute(req.method, req.path);
  const operation = runtime?.operation ?? control?.route.operation ?? 'Unknown';
  const record = {
    operation,
    region: '',
    startedAt: performance.now(),
    params: { label: runtime?.label ?? control?.label } as Record<string, unknown>,
  };
  let caller: Caller | undefined;
  try {
    if (!runtime && !control) {
      throw new FakeServiceError('UnknownOperationException', 404, `No operation matches ${req.method} ${req.path}`);
    }
    caller = callerOf(world, req, { invalid: 'UnrecognizedClientException', expired: 'ExpiredTokenException' });
    await applyFault(
      world,
      operation,
      {
        throttle: new FakeServiceError(
          'ThrottlingException',
          429,
          'Too many requests, please wait before trying again.',
        ),
        server: new FakeServiceError('InternalServerException', 500, 'Internal server error'),
        denied: new FakeServiceError(
          'AccessDeniedException',
          403,
          `User: ${caller.arn} is not authorized to perform: injected`,
          'Message',
        ),
      },
      clientGone,
    );
    const slow = world.latencyFor(operation, runtime?.label ?? control?.label);
    if (slow > 0) await sleep(slow);
    let result: RestResult;
    if (runtime) {
      result = handleRuntime(world, caller, req, runtime.operation, runtime.label);
    } else if (control) {
      const { route, label } = control;
      const denied = world.authorize(
        caller.credential.principal,
        caller.arn,
        route.action,
        controlResource(caller, label),
      );
      if (denied) throw new FakeServiceError('AccessDeniedException', 403, denied, 'Message');
      result = route.handle(world, caller, req, label);
    } else {
      throw new Error('unreachable');
    }
    logCall(world, record, caller, result.status);
    return {
      status: result.status,
      headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId },
      body: JSON.stringify(result.body),
    };
  } catch (err) {
    if (!(err instanceof FakeServiceError)) throw err;
    logCall(world, record, caller, err.status, err.code);
    return {
      status: err.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-RequestId': requestId,
        'x-amzn-ErrorType': `${err.code}${CORAL}`,
      },
      body: JSON.stringify({ [err.messageKey]: err.message }),
    };
  }
}

async function stsCall(
  world: FakeAwsWorld,
  req: WireRequest,
  requestId: string,
  clientGone: AbortSignal,
): Promise<WireResponse> {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const operation = form.get('Action') ?? 'Unknown';
  const record = {
    operation,
    region: '',
    startedAt: performance.now(),
    params: Object.fromEntries([...form.entries()].filter(([k]) => k !== 'Action' && k !== 'Version')),
  };
  let caller: Caller | undefined;
  try {
    caller = callerOf(world, req, { invalid: 'InvalidClientTokenId', expired: 'ExpiredToken' });
    await applyFault(
      world,
      operation,
      {
        throttle: new FakeServiceError('Throttling', 400, 'Rate exceeded'),
        server: new FakeServiceError('InternalFailure', 500, 'An internal error occurred.'),
        denied: new FakeServiceError(
          'AccessDenied',
          403,
          `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${form.get('RoleArn') ?? '*'}`,
        ),
      },
      clientGone,
    );
    const body = handleSts(world, caller, form, requestId);
    logCall(world, record, caller, 200);
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
  } catch (err) {
    if (!(err instanceof FakeServiceError)) throw err;
    logCall(world, record, caller, err.status, err.code);
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId },
      body: stsErrorXml(err, requestId),
    };
  }
}

/** AWS JSON 1.0/1.1 services, told apart by their X-Amz-Target prefix: SQS, Secrets Manager, Organizations. */
async function jsonCall(
  world: FakeAwsWorld,
  req: WireRequest,
  target: string,
  requestId: string,
): Promise<WireResponse> {
  const [service = '', operation = 'Unknown'] = target.split('.');
  const input = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
  const record = { operation, region: '', startedAt: performance.now(), params: input };
  const contentType = service === 'AmazonSQS' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  let caller: Caller | undefined;
  try {
    caller = callerOf(world, req, { invalid: 'UnrecognizedClientException', expired: 'ExpiredTokenException' });
    await applyFault(world, operation, {
      throttle: new FakeServiceError('ThrottlingException', 400, 'Rate exceeded'),
      server: new FakeServiceError('InternalFailure', 500, 'Internal failure'),
      denied: new FakeServiceError('AccessDeniedException', 400, `User: ${caller.arn} is not authorized: injected`),
    });
    let body: Record<string, unknown>;
    if (service === 'AmazonSQS') body = handleSqs(world, caller, operation, input);
    else if (service === 'secretsmanager') body = handleSecretsManager(world, caller, operation, input);
    else if (service === 'AWSOrganizationsV20161128') body = handleOrganizations(world, caller, operation, input);
    else throw new FakeServiceError('UnknownOperationException', 400, `No service for ${target}`);
    logCall(world, record, caller, 200);
    return {
      status: 200,
      headers: { 'content-type': contentType, 'x-amzn-RequestId': requestId },
      body: JSON.stringify(body),
    };
  } catch (err) {
    if (!(err instanceof FakeServiceError)) throw err;
    logCall(world, record, caller, err.status, err.code);
    const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-RequestId': requestId };
    if (err instanceof SqsError) headers['x-amzn-query-error'] = `${err.queryCode};Sender`;
    const namespace = service === 'AmazonSQS' ? 'com.amazonaws.sqs#' : '';
    return {
      status: err.status,
      headers,
      body: JSON.stringify({ __type: `${namespace}${err.code}`, [err.messageKey]: err.message }),
    };
  }
}

function logCall(
  world: FakeAwsWorld,
  record: { operation: string; region: string; startedAt: number; params: Record<string, unknown> },
  caller: Caller | undefined,
  status: number,
  errorCode?: string,
): void {
  world.calls.push({
    ...record,
    region: caller?.region ?? record.region,
    callerArn: caller?.arn,
    accessKeyId: caller?.credential.accessKeyId,
    status,
    errorCode,
    endedAt: performance.now(),
  });
}
