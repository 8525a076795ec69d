// The front door: what every HTTP request from "Slack" must get past before Bolt parses it. Pure and transport-
// agnostic ({method, headers, raw body, now} in, a verdict out), so the local HTTP server and the Lambda handler share
// it. Signatures are checked with Bolt's own verifier, here only: the HTTP receiver behind it does not check them twice.
// Issue 9: a signed `payload=null` crashed Bolt's receiver, a timestamp from the future was accepted, JSON sent as
// text/plain was processed, and bodies that are not Slack payloads waited 3 s for a 404.
import { isValidSlackRequest } from '@slack/bolt';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

/** Slack refuses to sign for more than 5 minutes either way; so do we (Bolt only rejects old timestamps). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface SlackHttpRequest {
  method: string;
  /** Header names in any case, as Node or a Lambda event gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, exactly as received (the signature covers these bytes). */
  body: string | Uint8Array;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface FrontDoorOptions {
  signingSecret: string;
  bodyLimitBytes: number;
}

export type FrontDoorVerdict =
  | {
      pass: true;
      /** The body as text, for the receiver behind. */
      body: string;
      /** The content type without parameters, which is what Bolt compares against. */
      contentType: typeof FORM_CONTENT_TYPE | typeof JSON_CONTENT_TYPE;
    }
  | {
      pass: false;
      status: 400 | 401 | 405 | 413 | 415;
      /** For the log; never echoes the body. */
      reason: string;
    };

/** Events API envelopes arrive as JSON; these are the envelope types Slack sends. */
const EVENTS_API_TYPES = new Set(['event_callback', 'url_verification', 'app_rate_limited']);

const refuse = (status: 400 | 401 | 405 | 413 | 415, reason: string): FrontDoorVerdict => ({
  pass: false,
  status,
  reason,
});

export function checkSlackRequest(req: SlackHttpRequest, options: FrontDoorOptions): FrontDoorVerdict {
  if (req.method.toUpperCase() !== 'POST') return refuse(405, 'not a POST');
  const size = typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.byteLength;
  if (size > options.bodyLimitBytes) return refuse(413, `body of ${size} bytes is over the limit`);

  const header = headerReader(req.headers);
  const contentType = header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== FORM_CONTENT_TYPE && contentType !== JSON_CONTENT_TYPE) {
    return refuse(415, `content type ${JSON.stringify(contentType ?? '')} is not one Slack sends`);
  }
  const text = typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8');
  const signatureHeader = header('x-slack-signature');
  const timestampHeader = header('x-slack-request-timestamp');

  // Slack's unsigned SSL check; Bolt answers it and strips anything else from its body.
  if (contentType === FORM_CONTENT_TYPE && signatureHeader === undefined && timestampHeader === undefined) {
    return formValues(text, ['ssl_check'])?.ssl_check?.[0] === '1'
      ? { pass: true, body: text, contentType }
      : refuse(401, 'unsigned request');
  }
  // Before any parsing: a stale or future timestamp ends the request here.
  if (timestampHeader === undefined || !/^\d{1,12}$/.test(timestampHeader)) {
    return refuse(401, 'missing or malformed X-Slack-Request-Timestamp');
  }
  const timestamp = Number(timestampHeader);
  if (Math.abs(req.now / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    return refuse(401, 'X-Slack-Request-Timestamp more than 5 minutes from now');
  }
  const valid =
    signatureHeader !== undefined &&
    isValidSlackRequest({
      signingSecret: options.signingSecret,
      body: text,
      headers: { 'x-slack-signature': signatureHeader, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: req.now,
    });
  if (!valid) return refuse(401, 'signature does not match');

  const kind = contentType === JSON_CONTENT_TYPE ? jsonBodyKind(text) : formBodyKind(text);
  if (kind === 'events_api') {
    return contentType === JSON_CONTENT_TYPE
      ? { pass: true, body: text, contentType }
      : refuse(415, 'an Events API body must be sent as application/json');
  }
  if (kind === 'command' || kind === 'interaction') {
    return contentType === FORM_CONTENT_TYPE
      ? { pass: true, body: text, contentType }
      : refuse(415, `a ${kind} must be sent as ${FORM_CONTENT_TYPE}`);
  }
  return refuse(400, 'not a Slack payload');
}

type BodyKind = 'events_api' | 'command' | 'interaction' | 'none';

/** A JSON object with a string `type` (an envelope or an interaction sent the wrong way), or none. */
function kindOfObject(value: unknown): BodyKind {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'none';
  const { type, command } = value as { type?: unknown; command?: unknown };
  if (typeof type === 'string' && EVENTS_API_TYPES.has(type)) return 'events_api';
  if (typeof type === 'string' && type.length > 0) return 'interaction';
  if (typeof command === 'string' && command.startsWith('/')) return 'command';
  return 'none';
}

function jsonBodyKind(text: string): BodyKind {
  try {
    return kindOfObject(JSON.parse(text));
  } catch {
    return 'none';
  }
}

function formBodyKind(text: string): BodyKind {
  const fields = formValues(text, ['payload', 'command']);
  const payloads = fields?.payload ?? [];
  if (fields === undefined || payloads.length > 1) return 'none';
  if (payloads.length === 1) {
    try {
      return kindOfObject(JSON.parse(payloads[0] as string));
    } catch {
      return 'none';
    }
  }
  const command = fields.command ?? [];
  return command.length === 1 && command[0]?.startsWith('/') ? 'command' : 'none';
}

/**
 * The decoded values of the named fields of a form body, in one pass, or undefined when one of them is not valid
 * percent-encoding. Only those fields are decoded: a full parse of every field (a pasted 40 KB error included)
 * showed up in the ack latency.
 */
function formValues(text: string, names: readonly string[]): Record<string, string[]> | undefined {
  const values: Record<string, string[]> = {};
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (!names.includes(name)) continue;
    try {
      (values[name] ??= []).push(decodeURIComponent(part.slice(name.length + 1).replace(/\+/g, ' ')));
    } catch {
      return undefined;
    }
  }
  return values;
}

function headerReader(headers: SlackHttpRequest['headers']): (name: string) => string | undefined {
  // Node lower-cases header names already; other transports (a Lambda event) may not.
  const names = Object.keys(headers);
  const lower = names.every((n) => n === n.toLowerCase())
    ? headers
    : Object.fromEntries(names.map((n) => [n.toLowerCase(), headers[n]]));
  // A repeated header is ambiguous: treat it as absent rather than pick one.
  return (name) => {
    const value = lower[name];
    return typeof value === 'string' ? value : undefined;
  };
}
