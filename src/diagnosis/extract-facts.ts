// Pulls the facts out of normalized text. Every fact is read from the text; nothing is inferred or defaulted.
// Patterns are linear (no nested quantifiers over the same characters) and most are guarded by an indexOf.
import { findArns, isAccountId, isPrincipalArn, modelIdInArn, type ParsedArn } from './arns.js';
import { KNOWN_EXCEPTIONS, knownOperation, REGION_PATTERN, surfaceOfOperation } from './aws-names.js';
import type { TextView } from './phrase-index.js';
import { allProviders, baseModelIdOf, INFERENCE_PROFILE_PREFIXES, providerOf } from './providers.js';
import type { DeniedBy, Facts } from './types.js';

/** Observations that are not facts for the user but steer the classification and the advice. */
export interface Clues {
  arns: ParsedArn[];
  /** The first `*.amazonaws.com` host named, e.g. `bedrock-runtime.us-west-2.amazonaws.com`. */
  endpointHost?: string;
  /** The host of a failed connection (`Could not connect to the endpoint URL`, `ENOTFOUND`). */
  unreachableHost?: string;
  /** The AWS CLI / SDK profile named in the text. */
  profileName?: string;
  /** A Bedrock model ARN with an empty region: the resource of a global inference profile. */
  regionlessModelArn?: boolean;
  /** The message says "explicit deny". */
  explicitDeny: boolean;
  /** A VPC endpoint policy is blamed (not one of the `deniedBy` kinds). */
  vpcEndpointPolicy: boolean;
}

type Has = (...needles: string[]) => boolean;

export interface Extraction {
  facts: Facts;
  clues: Clues;
}

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
const EVENT_NAME_RE = /"eventName"\s*:\s*"(\w{1,100})"/;
const SDK_COMMAND_RE = /\b([A-Z][A-Za-z]{2,80})Command\b/g;
const CLI_COMMAND_RE =
  /\baws\s+(?:bedrock|bedrock-runtime|bedrock-agent|bedrock-agent-runtime|sts)\s+([a-z][a-z0-9-]{1,80})/;
const PY_METHOD_RE = /\.([a-z][a-z_]{2,80})\(/g;

const PROVIDER_ALT = allProviders()
  .map((p) => p.id)
  .sort((a, b) => b.length - a.length)
  .join('|');
const GEO_ALT = [...INFERENCE_PROFILE_PREFIXES].sort((a, b) => b.length - a.length).join('|');
const PROVIDER_DOTS = allProviders().map((p) => `${p.id}.`);
const MODEL_TOKEN_RE = new RegExp(
  `(?<![\\w.-])((?:(?:${GEO_ALT})\\.)?(?:${PROVIDER_ALT})\\.([a-z0-9][a-z0-9-]*(?:\\.[a-z0-9][a-z0-9-]*)*)(?::[a-z0-9-]+){0,2})`,
  'g',
);
const MODEL_FIELD_RE =
  /(?:model[ _-]?id(?:entifier)?|--model-id(?:entifier)?)["']?\s*[:=]?\s*["']?([A-Za-z0-9][\w.:/@{}-]{2,2047})/gi;

const REGION_ALONE = new RegExp(`^${REGION_PATTERN}$`);
const REGION_HOST_RE = new RegExp(`\\.(${REGION_PATTERN})\\.(?:amazonaws\\.com|api\\.aws)`);
const REGION_FIELD_RE = new RegExp(
  `(?:region(?:_name)?|awsRegion|AWS_REGION|AWS_DEFAULT_REGION)["']?\\s*[:=]\\s*["']?(${REGION_PATTERN})(?![\\w-])`,
  'i',
);
const REGION_OPTION_RE = new RegExp(`--region[ =](${REGION_PATTERN})(?![\\w-])`);
const REGION_TOKEN_RE = new RegExp(`(?<![\\w-])(${REGION_PATTERN})(?![\\w-])`);

const HOST_RE = /(?<![\w.-])((?:[a-z0-9-]{1,63}\.){1,8}(?:amazonaws\.com(?:\.cn)?|api\.aws))(?![\w-])/i;
const UNREACHABLE_RE =
  /(?:Could not connect to the endpoint URL|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|connect (?:ECONNREFUSED|ETIMEDOUT)|Failed to resolve|Name or service not known)[:\s"']{0,4}(?:https?:\/\/)?([A-Za-z0-9.-]{1,253})/i;

const ACTION_NAME_RE = /^[A-Z*][A-Za-z0-9*]{0,100}/;
const NOT_ACTION_SERVICES = new Set(['aws', 'arn', 'http', 'https', 'file', 'fileb', 'mailto', 's3a']);
const MAX_ACTIONS = 32;

const REQUEST_ID_RE =
  /request[-_ ]?id["'\s:=]{0,4}([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?![\w-])/i;
const STATUS_KEYED_RE =
  /(?:status[ _-]?code|http[ _-]?status(?:[ _-]?code)?|\bstatus|api error|error code|upstream|\bHTTP(?:\/\d(?:\.\d)?)?)["'\s:=(_]{0,4}([1-5]\d\d)(?!\d)/i;
const STATUS_BARE_RE =
  /(?:^|[\s:\]])([45]\d\d) (?=[45]\d\d |\{|Forbidden|Unauthorized|Bad Request|Not Found|Too Many|Internal Server|Service Unavailable)/;
const RETRY_RE = /(?:try again|retry) (?:after|in) (\d{1,4}) min/i;
const INACTIVITY_RE = /in the last (\d{1,4}) days/i;
const DENIED_BY_RE =
  /(?:explicit deny in an?|because no) (service control polic|resource control polic|identity-based polic|permissions boundar|session polic|resource-based polic)/i;
const DENIED_BY_KIND: Record<string, DeniedBy> = {
  'service control polic': 'service control policy',
  'resource control polic': 'resource control policy',
  'identity-based polic': 'identity-based policy',
  'permissions boundar': 'permissions boundary',
  'session polic': 'session policy',
  'resource-based polic': 'resource-based policy',
};
const PROFILE_RE = /(?:config profile \(([^()\s]{1,128})\)|--profile[ =]([\w.@-]{1,128})|AWS_PROFILE=([\w.@-]{1,128}))/;
const RESOURCE_RE = /on resource:? ([^\s"'<>(),;]{1,2048})/;
const PRINCIPAL_MARKER = ' is not authorized to perform';

export function extractFacts(view: TextView): Extraction {
  const { text, phrases } = view;
  const has = (...needles: string[]) => needles.some((n) => phrases.has(n));
  const arns = has('arn:') ? findArns(text) : [];
  const facts: Facts = {};

  const actions = findActions(text);
  if (actions.length > 0) facts.actions = actions;
  const exception = findException(text, has);
  if (exception) facts.exception = exception;
  // A denial that names bedrock:InvokeModel but no operation (Rust/JS SDK errors) still names the API called.
  const operation = findOperation(text, has) ?? operationFromActions(actions);
  if (operation) facts.operation = operation;

  const modelId = findModelId(text, has, arns);
  if (modelId) {
    facts.modelId = modelId;
    const base = baseModelIdOf(modelId);
    if (base) facts.baseModelId = base;
    const provider = providerOf(modelId);
    if (provider) facts.provider = provider.id;
  }

  const region = findRegion(text, arns);
  if (region) facts.region = region;

  const principal = findPrincipal(text, arns);
  if (principal) facts.principalArn = principal;
  const account = findAccount(principal, arns);
  if (account) facts.accountId = account;

  if (has('resource')) {
    const resource = RESOURCE_RE.exec(text)?.[1]?.replace(/[.:,]+$/, '');
    if (resource) facts.resource = resource;
  }

  const deniedKind = has('polic') || has('boundar') ? DENIED_BY_RE.exec(text)?.[1] : undefined;
  if (deniedKind) facts.deniedBy = DENIED_BY_KIND[deniedKind.toLowerCase()];
  const policyArn = arns.find((a) => a.service === 'organizations' || a.resource.startsWith('policy/'));
  if (policyArn) facts.policyArn = policyArn.arn;

  if (has('min')) {
    const retry = RETRY_RE.exec(text)?.[1];
    if (retry) facts.retryAfterMinutes = Number(retry);
  }
  if (has('legacy')) {
    const days = INACTIVITY_RE.exec(text)?.[1];
    if (days) facts.inactivityDays = Number(days);
  }

  const surface = findSurface(has, operation, actions);
  if (surface) facts.surface = surface;

  const status = findHttpStatus(text);
  if (status) facts.httpStatus = status;
  if (has('request')) {
    const requestId = REQUEST_ID_RE.exec(text)?.[1];
    if (requestId) facts.requestId = requestId;
  }

  const clues: Clues = {
    arns,
    explicitDeny: has('explicit deny'),
    vpcEndpointPolicy: has('vpc endpoint policy'),
  };
  if (has('amazonaws') || has('api.aws')) {
    const host = HOST_RE.exec(text)?.[1];
    if (host) clues.endpointHost = host.toLowerCase();
  }
  if (
    has(
      'could not connect',
      'enotfound',
      'eai_again',
      'econnrefused',
      'etimedout',
      'failed to resolve',
      'service not known',
    )
  ) {
    const host = UNREACHABLE_RE.exec(text)?.[1]?.replace(/\.+$/, '');
    if (host) clues.unreachableHost = host.toLowerCase();
  }
  if (has('profile')) {
    const m = PROFILE_RE.exec(text);
    const profile = m?.[1] ?? m?.[2] ?? m?.[3];
    if (profile) clues.profileName = profile;
  }
  if (arns.some((a) => a.service === 'bedrock' && a.region === '' && a.resource.startsWith('foundation-model/'))) {
    clues.regionlessModelArn = true;
  }
  return { facts, clues };
}

function findException(text: string, has: Has): string | undefined {
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

function findOperation(text: string, has: Has): string | undefined {
  if (has('when calling the')) {
    const op = CALLING_OPERATION_RE.exec(text)?.[1];
    if (op) return op;
  }
  if (has('operation error')) {
    const op = GO_OPERATION_RE.exec(text)?.[1];
    if (op) return op;
  }
  if (has('"eventname"')) {
    const op = EVENT_NAME_RE.exec(text)?.[1];
    if (op) return op;
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

function cleanModelRef(raw: string): string {
  return raw.replace(/[.:,]+$/, '');
}

function looksLikeModelRef(ref: string): boolean {
  return ref.startsWith('arn:')
    ? modelArnOk(ref)
    : /^[a-z0-9-]+\.[a-z0-9]/.test(ref) && !/\.(?:com|aws|net|org)$/.test(ref);
}

function modelArnOk(ref: string): boolean {
  return /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model)\//.test(
    ref,
  );
}

/** A model id as written: from an explicit field, a request path, a Bedrock ARN, then a bare model-id token. */
function findModelId(text: string, has: Has, arns: ParsedArn[]): string | undefined {
  if (has('model')) {
    MODEL_FIELD_RE.lastIndex = 0;
    for (let m = MODEL_FIELD_RE.exec(text), n = 0; m && n < 32; m = MODEL_FIELD_RE.exec(text), n++) {
      const ref = cleanModelRef(m[1] ?? '');
      if (!looksLikeModelRef(ref)) continue;
      if (ref.startsWith('arn:')) {
        const arn = arns.find((a) => a.arn === ref) ?? findArns(ref)[0];
        const id = arn ? modelIdInArn(arn) : undefined;
        if (id) return id;
        continue;
      }
      return ref;
    }
    const fromPath = modelFromPath(text);
    if (fromPath) return fromPath;
  }
  for (const arn of arns) {
    const id = modelIdInArn(arn);
    if (id) return id;
  }
  if (!has(...PROVIDER_DOTS)) return undefined;
  MODEL_TOKEN_RE.lastIndex = 0;
  for (let m = MODEL_TOKEN_RE.exec(text), n = 0; m && n < 64; m = MODEL_TOKEN_RE.exec(text), n++) {
    // The part after the provider must look like a model name (`claude-v2`, `nova-pro-v1`), not `com` or `bedrock`.
    if (m[1] && m[2] && /[0-9-]/.test(m[2])) return m[1];
  }
  return undefined;
}

/** Runtime request paths: `/model/<id>/invoke`, `/model/<id>/converse-stream` (already percent-decoded). */
function modelFromPath(text: string): string | undefined {
  let from = 0;
  for (let n = 0; n < 16; n++) {
    const start = text.indexOf('/model/', from);
    if (start < 0) return undefined;
    from = start + 7;
    const window = text.slice(from, from + 600);
    const m = /^(\S{1,560}?)\/(?:invoke|converse|count-tokens|async-invoke)/.exec(window);
    if (!m?.[1]) continue;
    const ref = m[1];
    if (ref.startsWith('arn:')) {
      const arn = findArns(ref)[0];
      const id = arn ? modelIdInArn(arn) : undefined;
      if (id) return id;
    } else if (/^[\w.:-]+$/.test(ref)) {
      return ref;
    }
  }
  return undefined;
}

function findRegion(text: string, arns: ParsedArn[]): string | undefined {
  for (const arn of arns) if (REGION_ALONE.test(arn.region)) return arn.region;
  return (
    REGION_HOST_RE.exec(text)?.[1] ??
    REGION_FIELD_RE.exec(text)?.[1] ??
    REGION_OPTION_RE.exec(text)?.[1] ??
    REGION_TOKEN_RE.exec(text)?.[1]
  );
}

/** The principal as AWS printed it before "is not authorized to perform" (an ARN or an obvious placeholder). */
function findPrincipal(text: string, arns: ParsedArn[]): string | undefined {
  let from = 0;
  for (let n = 0; n < 16; n++) {
    const at = text.indexOf(PRINCIPAL_MARKER, from);
    if (at < 0) break;
    from = at + PRINCIPAL_MARKER.length;
    let start = at;
    while (start > 0 && at - start < 2048 && text.charAt(start - 1) !== ' ') start--;
    let token = text.slice(start, at);
    token = token.replace(/^["'(\[{]+/, '').replace(/^User:/, '');
    // "IAM user or service role is not authorized" names no principal; "IAM_USER_ARN" is the user's own placeholder.
    if (token.startsWith('arn:') || (/arn/i.test(token) && token.length <= 128)) return token;
  }
  return arns.find(isPrincipalArn)?.arn;
}

function findAccount(principal: string | undefined, arns: ParsedArn[]): string | undefined {
  if (principal?.startsWith('arn:')) {
    const account = principal.split(':')[4];
    if (isAccountId(account)) return account;
  }
  // An SCP's ARN names the organization's management account, not the caller's.
  return arns.find((a) => a.service !== 'organizations' && isAccountId(a.account))?.account;
}

/**
 * IAM actions (`bedrock:InvokeModel`, `aws-marketplace:Subscribe`, `bedrock:*`). Scans from each `:` followed by an
 * upper-case letter or `*` (rare in text) instead of trying a regex at every lower-case letter.
 */
function findActions(text: string): string[] {
  const actions: string[] = [];
  for (let colon = text.indexOf(':'), n = 0; colon >= 0 && n < 4096; colon = text.indexOf(':', colon + 1), n++) {
    if (!/[A-Z*]/.test(text.charAt(colon + 1))) continue;
    let start = colon;
    while (start > 0 && colon - start < 41 && /[a-z0-9-]/.test(text.charAt(start - 1))) start--;
    if (colon - start < 2 || !/[a-z]/.test(text.charAt(start)) || /[\w.:/-]/.test(text.charAt(start - 1))) continue;
    const m = ACTION_NAME_RE.exec(text.slice(colon + 1, colon + 102));
    const service = text.slice(start, colon);
    if (!m || NOT_ACTION_SERVICES.has(service)) continue;
    const action = `${service}:${m[0]}`;
    if (!actions.includes(action)) actions.push(action);
    if (actions.length >= MAX_ACTIONS) break;
  }
  return actions;
}

function operationFromActions(actions: string[]): string | undefined {
  for (const action of actions) {
    if (!action.startsWith('bedrock:')) continue;
    const name = action.slice('bedrock:'.length);
    if (knownOperation(name) === name) return name;
  }
  return undefined;
}

function findSurface(has: Has, operation: string | undefined, actions: string[]): Facts['surface'] {
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

function findHttpStatus(text: string): number | undefined {
  const raw = STATUS_KEYED_RE.exec(text)?.[1] ?? STATUS_BARE_RE.exec(text)?.[1];
  const status = raw ? Number(raw) : undefined;
  return status && status >= 100 && status <= 599 ? status : undefined;
}
