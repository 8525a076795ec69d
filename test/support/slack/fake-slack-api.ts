// A local stand-in for slack.com: records Web API calls and response_url posts, and can answer with Slack's
// errors (HTTP 429 + Retry-After `ratelimited`, `channel_not_found`, `not_in_channel` …).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  /** Parsed body (JSON or form fields; `blocks` decoded when sent as a JSON string). */
  args: Record<string, unknown>;
  token?: string;
  at: number;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export type Fault =
  | { status: 429; retryAfterSeconds: number }
  | { error: string }
  /** An HTTP error page instead of a Web API answer (Slack down: 503). */
  | { httpStatus: number };

export interface FakeSlackApi {
  /** Base URL for the Web API, ending in `/api/` (Bolt's `slackApiUrl`). */
  apiUrl: string;
  calls: RecordedCall[];
  responses: RecordedResponse[];
  /** A fresh response_url pointing at this server. */
  responseUrl(id?: string): string;
  /** User groups for `usergroups.users.list`: group id → member ids (tests change membership). */
  usergroups: Map<string, string[]>;
  /** The next `times` calls of `method` fail with `fault`. */
  failNext(method: string, fault: Fault, times?: number): void;
  callsTo(method: string): RecordedCall[];
  responsesTo(id: string): RecordedResponse[];
  /** Resolves once `count` calls/posts matching have been recorded (or rejects after `timeoutMs`). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  reset(): void;
  /** What apps.connections.open hands out (a local Socket Mode stand-in's URL). */
  socketModeUrl?: string;
  /** When set, auth.test answers as an app installed in this Enterprise Grid organisation (`E…`). */
  enterpriseId?: string;
  close(): Promise<void>;
}

export const FAKE_BOT = {
  userId: 'U0BOT00001',
  botId: 'B0BOT00001',
  teamId: 'T0TEAM0001',
  appId: 'A0APP00001',
} as const;

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const faults = new Map<string, Fault[]>();
  const usergroups = new Map<string, string[]>();
  let responseCounter = 0;
  let messageCounter = 0;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/response/')) {
      const id = decodeURIComponent(url.pathname.slice('/response/'.length));
      responses.push({ id, body: JSON.parse(raw) as Record<string, unknown>, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const auth = req.headers.authorization;
    const fault = faults.get(method)?.shift();
    calls.push({ method, args, token: auth?.replace(/^Bearer /, ''), at: Date.now() });
    if (fault && 'httpStatus' in fault) {
      res.writeHead(fault.httpStatus, { 'content-type': 'text/html' });
      res.end('<html><body>Service Unavailable</body></html>');
      return;
    }
    if (fault && 'status' in fault) {
      res.writeHead(429, { 'retry-after': String(fault.retryAfterSeconds), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (fault) return json(res, { ok: false, error: fault.error });
    switch (method) {
      case 'auth.test':
        return json(res, {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'bedrock-doctor',
          team_id: FAKE_BOT.teamId,
          user_id: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
          app_id: FAKE_BOT.appId,
          ...(api.enterpriseId ? { enterprise_id: api.enterpriseId, is_enterprise_install: false } : {}),
        });
      case 'chat.postMessage':
      case 'chat.update': {
        messageCounter += 1;
        const ts = `1700000000.${String(messageCounter).padStart(6, '0')}`;
        return json(res, { ok: true, channel: args.channel, ts, message: { text: args.text, ts } });
      }
      case 'chat.postEphemeral':
        return json(res, { ok: true, message_ts: '1700000000.999999' });
      case 'apps.connections.open':
        return api.socketModeUrl
          ? json(res, { ok: true, url: api.socketModeUrl })
          : json(res, { ok: false, error: 'no_socket_stand_in' });
      case 'views.open':
      case 'views.update':
        return json(res, { ok: true, view: { id: 'V0VIEW0001' } });
      case 'chat.getPermalink':
        return json(res, {
          ok: true,
          channel: args.channel,
          permalink: `https://example.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}`,
        });
      case 'usergroups.users.list': {
        const users = usergroups.get(String(args.usergroup));
        return users ? json(res, { ok: true, users }) : json(res, { ok: false, error: 'no_such_subteam' });
      }
      default:
        return json(res, { ok: false, error: 'unknown_method' });
    }
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const api: FakeSlackApi = {
    apiUrl: `${base}/api/`,
    calls,
    responses,
    usergroups,
    responseUrl(id) {
      responseCounter += 1;
      return `${base}/response/${encodeURIComponent(id ?? `r${responseCounter}`)}`;
    },
    failNext(method, fault, times = 1) {
      const list = faults.get(method) ?? [];
      for (let i = 0; i < times; i += 1) list.push(fault);
      faults.set(method, list);
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    responsesTo: (id) => responses.filter((r) => r.id === id),
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('fake Slack API: timed out waiting for the expected calls');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}

function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  const args: Record<string, unknown> = contentType.includes('application/json')
    ? (JSON.parse(raw || '{}') as Record<string, unknown>)
    : Object.fromEntries(new URLSearchParams(raw));
  // The Web API client form-encodes `blocks` as a JSON string; decode so tests read what Slack would render.
  for (const key of ['blocks', 'attachments']) {
    const v = args[key];
    if (typeof v === 'string') args[key] = JSON.parse(v);
  }
  return args;
}
