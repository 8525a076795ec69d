// The error's envelope: its code (exception name), the operation called, the HTTP status and request id, and the
// part of Bedrock it belongs to, in the spellings of boto3, the JS, Java, Go, .NET, Ruby and Swift SDKs, the CLI and
// CloudTrail.
import { KNOWN_EXCEPTIONS, knownOperation, surfaceOfOperation } from './aws-names.js';
import type { Facts } from './types.js';

export type Has = (...needles: string[]) => boolean;

const ERROR_OCCURRED_RE = /An error occurred \((\w{1,100})\)/;
const CALLING_OPERATION_RE = /when calling the (\w{1,100}) operation/;
const EXCEPTION_RE = new RegExp(`(?<![A-Za-z])(${KNOWN_EXCEPTIONS.join('|')})(?![A-Za-z])`, 'i');
const ERROR_TYPE_RE =
  /(?:x-amzn-ErrorType|"?__type"?|"?errorCode"?|\bcode)["']?\s*[:=]\s*(?:Some\()?["']?(?:[\w.]*#)?([A-Za-z]{3,100})/i;
const GENERIC_EXCEPTION_RE = /\b([A-Z][A-Za-z0-9]{1,80}Exception)\b/g;
const WRAPPER_EXCEPTIONS = new Set([
  'ServiceException',
  'BedrockServiceException',
  'BedrockRuntimeServiceException',
  'BedrockAgentServiceException',
  'BedrockAgentRuntimeServiceException',
  'STSServiceException',
  'ClientException',
  'RuntimeException',
  'BedrockException',
]);

// Go SDK v2: `operation error Bedrock Runtime: InvokeModel, https response error StatusCode: 403, …`.
const GO_OPERATION_RE = /operation error [A-Za-z0-9 ]{1,40}: (\w{1,100}),/;
// CloudTrail: `"eventName": "Converse"` in a record, `Event name: ConverseStream` in a console or a note.
const EVENT_NAME_RE = /"?event ?name"?\s{0,3}[:=]\s{0,3}"?(\w{1,100})/i;
const SDK_COMMAND_RE = /\b([A-Z][A-Za-z]{2,80})Command\b/g;
const CLI_COMMAND_RE =
  /\baws\s+(?:bedrock|bedrock-runtime|bedrock-agent|bedrock-agent-runtime|sts)\s+([a-z][a-z0-9-]{1,80})/;
const PY_METHOD_RE = /\.([a-z][a-z_]{2,80})\(/g;
export const REQUEST_ID_RE =
  /request[-_ ]?id["'\s:=]{0,4}([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?![\w-])/i;
const STATUS_KEYED_RE =
  /(?:status[ _-]?code|http[ _-]?status(?:[ _-]?code)?|\bstatus|api error|error code|upstream|\bHTTP(?:\/\d(?:\.\d)?)?)["'\s:=(_]{0,4}([1-5]\d\d)(?!\d)/i;
const STATUS_BARE_RE =
  /(?:^|[\s:\]])([45]\d\d) (?=[45]\d\d |\{|Forbidden|Unauthorized|Bad Request|Not Found|Too Many|Internal Server|Service Unavailable)/;
// A 4xx/5xx code standing alone where wrappers print it: "429 Too many tokens", "(429)", "Error: 403 The security
// token…", "403 INVALID_PAYMENT_INSTRUMENT", "'400 Bad Request'", "AccessDeniedException: 403". Not a line number, a
// port or a stack position (`line 413,`, `:443/`, `index.js:404:21`).
const STATUS_LOOSE_RE =
  /(?:^|[\s'"#(])([45]\d\d)(?=$|[):]|…| (?:[A-Z]|\.\.\.|…|not |access|error|forbidden|unauthorized))/g;

export function findException(text: string, has: Has): string | undefined {
  if (has('an error occurred (')) {
    const name = ERROR_OCCURRED_RE.exec(text)?.[1];
    if (name) return name;
  }
  const known = EXCEPTION_RE.exec(text)?.[1];
  if (known) return known;
  if (has('type') || has('code')) {
    const typed = ERROR_TYPE_RE.exec(text)?.[1];
    if (typed && /(?:Exception|Error|Denied|Expired|Invalid|Throttl|Token)/.test(typed)) return typed;
  }
  if (has('exception')) {
    GENERIC_EXCEPTION_RE.lastIndex = 0;
    for (let m = GENERIC_EXCEPTION_RE.exec(text), n = 0; m && n < 64; m = GENERIC_EXCEPTION_RE.exec(text), n++) {
      if (m[1] && !WRAPPER_EXCEPTIONS.has(m[1])) return m[1];
    }
  }
  return undefined;
}

export function findOperation(text: string, has: Has): string | undefined {
  if (has('when calling the')) {
    const op = CALLING_OPERATION_RE.exec(text)?.[1];
    if (op) return op;
  }
  if (has('operation error')) {
    const op = GO_OPERATION_RE.exec(text)?.[1];
    if (op) return op;
  }
  if (has('eventname', 'event name')) {
    const name = EVENT_NAME_RE.exec(text)?.[1];
    const op = name ? knownOperation(name) : undefined;
    if (op && op === name) return op;
  }
  if (has('aws ')) {
    const sub = CLI_COMMAND_RE.exec(text)?.[1];
    const op = sub ? knownOperation(sub) : undefined;
    if (op) return op;
  }
  if (has('command')) {
    SDK_COMMAND_RE.lastIndex = 0;
    for (let m = SDK_COMMAND_RE.exec(text), n = 0; m && n < 64; m = SDK_COMMAND_RE.exec(text), n++) {
      const op = m[1] ? knownOperation(m[1]) : undefined;
      if (op === m[1]) return op;
    }
  }
  if (
    has(
      'invoke_model',
      '.converse',
      '_foundation_model',
      'invoke_agent',
      '.retrieve',
      'ingestion_job',
      '_inference_profile',
    )
  ) {
    // boto3 tracebacks show the call site: `client.invoke_model(`, `bedrock.converse(`.
    PY_METHOD_RE.lastIndex = 0;
    for (let m = PY_METHOD_RE.exec(text), n = 0; m && n < 256; m = PY_METHOD_RE.exec(text), n++) {
      const op = m[1] ? knownOperation(m[1]) : undefined;
      if (op) return op;
    }
  }
  return undefined;
}

export function operationFromActions(actions: string[]): string | undefined {
  for (const action of actions) {
    if (!action.startsWith('bedrock:')) continue;
    const name = action.slice('bedrock:'.length);
    if (knownOperation(name) === name) return name;
  }
  return undefined;
}

export function findSurface(has: Has, operation: string | undefined, actions: string[]): Facts['surface'] {
  if (
    has(
      'synchronizing knowledge',
      'synchronizing the knowledge',
      'ingestion job',
      'data source sync',
      'syncing knowledge',
      'syncing the knowledge',
      'knowledge base sync',
      // The service role and session Bedrock uses while it syncs a data source (embeddings calls).
      'executionroleforknowledgebase',
      'amazonbedrock-knowledgebases',
    )
  ) {
    return 'knowledge_base_sync';
  }
  // An agent's service role calling the model on the agent's behalf.
  if (has('executionroleforagents')) return 'agent';
  if (operation) {
    const surface = surfaceOfOperation(operation);
    if (surface) return surface;
  }
  for (const action of actions) {
    if (!action.startsWith('bedrock:')) continue;
    const op = knownOperation(action.slice('bedrock:'.length));
    const surface = op ? surfaceOfOperation(op) : undefined;
    if (surface) return surface;
  }
  return undefined;
}

function looseStatus(text: string): string | undefined {
  STATUS_LOOSE_RE.lastIndex = 0;
  for (let m = STATUS_LOOSE_RE.exec(text), n = 0; m && n < 16; m = STATUS_LOOSE_RE.exec(text), n++) {
    const start = m.index + m[0].length - 3;
    const before = text.charAt(start - 1);
    const after = text.charAt(start + 3);
    // "(429)" only in parentheses of its own; ": " after the code, never ":404:21" (a stack position).
    if (before === '(' ? after !== ')' : after === ')' || (after === ':' && text.charAt(start + 4) !== ' ')) continue;
    if (text.slice(Math.max(0, start - 5), start) === 'line ') continue;
    return m[1];
  }
  return undefined;
}

export function findHttpStatus(text: string): number | undefined {
  const raw = STATUS_KEYED_RE.exec(text)?.[1] ?? STATUS_BARE_RE.exec(text)?.[1] ?? looseStatus(text);
  const status = raw ? Number(raw) : undefined;
  return status && status >= 100 && status <= 599 ? status : undefined;
}

// Where the service's own words start, after the wrapper: boto3's "… operation: ", a JSON or Python-dict "message",
// "<Code>Exception: ", Go's "operation error <Service>: <Op>, …, <Code>: ".
const MESSAGE_START_RE =
  /(?:when calling the \w{1,100} operation(?: \(reached max retries: \d{1,3}\))?: |["']message["']\s{0,2}:\s{0,2}["']|(?:Exception|Error)(?::| -) |operation error [A-Za-z0-9 ]{1,40}: \w{1,100}, (?:https response error StatusCode: \d{3}, RequestID: [\w-]{0,80}, )?(?:\w{1,100}Exception: )?)/i;
// Where they end: the closing quote of a JSON value, the SDK's (Service: …) suffix, a stack frame.
const MESSAGE_END_RE = /["'][}\],]| \(Service: | \(RequestToken| at [\w$.<>]{1,200} \(| File "/;
const MAX_MESSAGE_CHARS = 240;
const DEPLOY_MARKERS = ['StatusMessage: ', 'Resource handler returned message: "'];

/** The service's message as written, cut at its wrapper's end and to MAX_MESSAGE_CHARS. */
export function findServiceMessage(text: string, has: Has, exception: string | undefined): string | undefined {
  if (!exception && !has('message', 'operation error', 'error', 'exception')) return undefined;
  let from = -1;
  // Deploy tools wrap the service's words in their own error line: take theirs first.
  for (const marker of DEPLOY_MARKERS) {
    const at = text.indexOf(marker);
    if (at >= 0) {
      from = at + marker.length;
      break;
    }
  }
  if (from < 0) {
    const start = MESSAGE_START_RE.exec(text);
    if (!start) return undefined;
    from = start.index + start[0].length;
  }
  let message = text.slice(from, from + MAX_MESSAGE_CHARS * 2);
  const end = MESSAGE_END_RE.exec(message);
  if (end) message = message.slice(0, end.index);
  message = message.trim();
  if (message.length > MAX_MESSAGE_CHARS) message = `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
  return message.length >= 8 ? message : undefined;
}
