// Pulls the facts out of normalized text. Every fact is read from the text; nothing is inferred or defaulted.
// Patterns are linear (no nested quantifiers over the same characters) and most are guarded by an indexOf. The
// envelope (exception, operation, status), the model and region, and the identity parts live beside this file.
import { findArns, type ParsedArn } from './arns.js';
import {
  findException,
  findHttpStatus,
  findOperation,
  findServiceMessage,
  findSurface,
  type Has,
  operationFromActions,
  REQUEST_ID_RE,
} from './extract-envelope.js';
import {
  DENIED_BY_KIND,
  DENIED_BY_RE,
  findAccount,
  findActions,
  findPolicyArn,
  findPrincipal,
} from './extract-identity.js';
import { findModelId, findRegion } from './extract-model.js';
import type { TextView } from './phrase-index.js';
import { baseModelIdOf, providerOf } from './providers.js';
import type { Facts } from './types.js';

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
  /**
   * What the service (or SDK) said after its error code, cut to a sentence or two: quoted back for request errors.
   * Read on demand (most answers never quote it), then kept.
   */
  serviceMessage: () => string | undefined;
  /** CloudFormation resource types named (`AWS::Bedrock::Guardrail`), for deploy errors. */
  resourceTypes?: string[];
}

export interface Extraction {
  facts: Facts;
  clues: Clues;
}

const HOST_RE = /(?<![\w.-])((?:[a-z0-9-]{1,63}\.){1,8}(?:amazonaws\.com(?:\.cn)?|api\.aws))(?![\w-])/i;
const UNREACHABLE_RE =
  /(?:Could not connect to the endpoint URL|(?<![A-Za-z])(?:getaddrinfo )?(?:ENOTFOUND|EAI_AGAIN)|Cannot connect to host|connect (?:ECONNREFUSED|ETIMEDOUT)|Failed to resolve|Name or service not known)[:\s"']{0,4}(?:https?:\/\/)?([A-Za-z0-9.-]{1,253})/i;

const RETRY_RE = /(?:try again|retry) (?:after|in) (\d{1,4}) min/i;
const INACTIVITY_RE = /in the last (\d{1,4}) days/i;
const PROFILE_RE = /(?:config profile \(([^()\s]{1,128})\)|--profile[ =]([\w.@-]{1,128})|AWS_PROFILE=([\w.@-]{1,128}))/;
// Placeholders people leave in ARNs (`<region>`, `<acct>`) are part of the resource as written.
const RESOURCE_RE = /on resource:? ([^\s"'(),;]{1,2048})/;
const RESOURCE_TYPE_RE = /AWS::Bedrock::\w{1,80}/g;

export function extractFacts(view: TextView): Extraction {
  const { text, phrases } = view;
  const has: Has = (...needles) => {
    for (let i = 0; i < needles.length; i++) if (phrases.has(needles[i] as string)) return true;
    return false;
  };
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

  addIdentityFacts(text, has, arns, facts);
  addCounts(text, has, facts);
  const surface = findSurface(has, operation, actions);
  if (surface) facts.surface = surface;
  const status = findHttpStatus(text);
  if (status) facts.httpStatus = status;
  if (has('request')) {
    const requestId = REQUEST_ID_RE.exec(text)?.[1];
    if (requestId) facts.requestId = requestId;
  }
  return { facts, clues: findClues(text, has, arns, exception) };
}

/** The caller, its account, the resource refused and the policy that refused it. */
function addIdentityFacts(text: string, has: Has, arns: ParsedArn[], facts: Facts): void {
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
  const policyArn = findPolicyArn(text, has, arns);
  if (policyArn) facts.policyArn = policyArn;
}

/** The minutes to wait and the days of inactivity a message states. */
function addCounts(text: string, has: Has, facts: Facts): void {
  if (has('min')) {
    const retry = RETRY_RE.exec(text)?.[1];
    if (retry) facts.retryAfterMinutes = Number(retry);
  }
  if (has('legacy')) {
    const days = INACTIVITY_RE.exec(text)?.[1];
    if (days) facts.inactivityDays = Number(days);
  }
}

function findClues(text: string, has: Has, arns: ParsedArn[], exception: string | undefined): Clues {
  let message: string | undefined | null = null;
  const clues: Clues = {
    arns,
    explicitDeny: has('explicit deny'),
    vpcEndpointPolicy: has('vpc endpoint policy'),
    serviceMessage: () => {
      if (message === null) message = findServiceMessage(text, has, exception);
      return message;
    },
  };
  if (has('amazonaws') || has('api.aws')) {
    const host = HOST_RE.exec(text)?.[1];
    if (host) clues.endpointHost = host.toLowerCase();
  }
  if (
    has(
      'could not connect',
      'cannot connect to host',
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
  if (has('aws::bedrock')) clues.resourceTypes = [...new Set(text.match(RESOURCE_TYPE_RE) ?? [])].slice(0, 8);
  return clues;
}
