// A tiny HTTP proxy in front of dynalite that answers chosen DynamoDB operations with AWS's own error shapes, so the
// real SDK client and the real repository meet TransactionConflict or throughput errors the embedded store never
// raises (it serialises writes). Everything else is forwarded unchanged.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DynamoFault =
  | { kind: 'transaction-conflict'; times?: number }
  | { kind: 'throughput-exceeded'; times?: number };

export interface DynamoFaultProxy {
  endpoint: string;
  /** The next `times` calls (default: all) of `operation` (e.g. `TransactWriteItems`) fail with `fault`. */
  inject(operation: string, fault: DynamoFault): void;
  clear(): void;
  /** Calls seen per operation, faulted or forwarded. */
  count(operation: string): number;
  close(): Promise<void>;
}

export async function startDynamoFaultProxy(target: string): Promise<DynamoFaultProxy> {
  const faults = new Map<string, DynamoFault[]>();
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server = http.createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const fault = take(operation);
    if (fault) return answer(res, 400, errorBody(fault, body));
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forwarded.on('error', () => answer(res, 502, { message: 'upstream failed' }));
    forwarded.end(body);
  }

  function take(operation: string): DynamoFault | undefined {
    const list = faults.get(operation);
    const fault = list?.[0];
    if (!list || !fault) return undefined;
    if (fault.times !== undefined && --fault.times <= 0) list.shift();
    return fault;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inject: (operation, fault) => faults.set(operation, [...(faults.get(operation) ?? []), { ...fault }]),
    clear: () => faults.clear(),
    count: (operation) => counts.get(operation) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bodies DynamoDB sends (awsJson1_0): `__type` names the error; a cancellation lists one reason per action. */
function errorBody(fault: DynamoFault, requestBody: Buffer): Record<string, unknown> {
  if (fault.kind === 'throughput-exceeded') {
    return {
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'The level of configured provisioned throughput for the table was exceeded.',
    };
  }
  const actions = (JSON.parse(requestBody.toString('utf8') || '{}') as { TransactItems?: unknown[] }).TransactItems;
  const reasons = (actions ?? [{}]).map((_, i) =>
    i === 0 ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' },
  );
  return {
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    CancellationReasons: reasons,
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
