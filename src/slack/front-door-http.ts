// Puts the front door (front-door.ts) in front of Bolt's HTTP receiver: the body is read here with a size cap, checked,
// and handed to Bolt already buffered and verified (Bolt only parses it). Whatever fails here
// answers 500 and the server keeps serving.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../log.js';
import { checkSlackRequest } from './front-door.js';

export interface GuardOptions {
  signingSecret: string;
  bodyLimitBytes: number;
  /** The one path Slack posts to; other paths go straight to Bolt (which answers 404). */
  path: string;
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
}

/** Replaces the receiver's request listener with the guarded one; returns the same receiver. */
export function guardHttpReceiver(receiver: HTTPReceiver, options: GuardOptions): HTTPReceiver {
  const bolt = receiver.requestListener;
  const now = options.now ?? Date.now;
  const log = options.logger;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    if (declared > options.bodyLimitBytes) return answer(res, 413, 'declared body over the limit');
    const body = await readCapped(req, options.bodyLimitBytes);
    if (body === undefined) return answer(res, 413, 'body over the limit');
    const verdict = checkSlackRequest(
      { method: req.method ?? '', headers: req.headers, body, now: now() },
      { signingSecret: options.signingSecret, bodyLimitBytes: options.bodyLimitBytes },
    );
    if (!verdict.pass) return answer(res, verdict.status, verdict.reason);
    // Bolt compares the content type exactly and reads `rawBody` instead of the (already consumed) stream.
    req.headers['content-type'] = verdict.contentType;
    Object.assign(req, { rawBody: body });
    bolt(req, res);
  };

  function answer(res: ServerResponse, status: number, reason: string) {
    log.warn('request refused at the front door', { status, reason });
    if (!res.headersSent) {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
      res.end(status === 413 ? 'request too large' : 'invalid request');
    }
  }

  receiver.requestListener = (req, res) => {
    const path = pathOf(req.url ?? '/');
    // Not Slack's path: Bolt's own routing, which throws synchronously for its dispatch error handler (404).
    if (path !== options.path) return bolt(req, res);
    handle(req, res).catch((err: unknown) => {
      log.error('request failed before reaching the app', { err });
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      } else res.destroy();
    });
  };
  return receiver;
}

/**
 * The URL's path as WHATWG URL parsing gives it. Slack posts to the plain path, which a string compare settles; only
 * anything else is parsed (a full URL parse on every request showed in the ack profile).
 */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  const raw = query < 0 ? url : url.slice(0, query);
  return /^\/[A-Za-z0-9/_-]*$/.test(raw) && !raw.includes('//') ? raw : new URL(url, 'http://localhost').pathname;
}

/** The whole body, or undefined as soon as it passes `limit` bytes (the rest is not read). */
function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}
