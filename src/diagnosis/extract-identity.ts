// Who was refused what, and by which policy: the principal, its account, the IAM actions and the policy kind.
import { isAccountId, isPrincipalArn, type ParsedArn } from './arns.js';
import type { DeniedBy } from './types.js';

const ACTION_NAME_RE = /^[A-Z*][A-Za-z0-9*]{0,100}/;
const NOT_ACTION_SERVICES = new Set(['aws', 'arn', 'http', 'https', 'file', 'fileb', 'mailto', 's3a']);
const MAX_ACTIONS = 32;
export const DENIED_BY_RE =
  /(?:explicit deny in an?|\bno) (service control polic|resource control polic|identity-based polic|permissions boundar|session polic|resource-based polic)/i;
export const DENIED_BY_KIND: Record<string, DeniedBy> = {
  'service control polic': 'service control policy',
  'resource control polic': 'resource control policy',
  'identity-based polic': 'identity-based policy',
  'permissions boundar': 'permissions boundary',
  'session polic': 'session policy',
  'resource-based polic': 'resource-based policy',
};
const PRINCIPAL_MARKER = ' is not authorized to perform';

export function findPrincipal(text: string, arns: ParsedArn[]): string | undefined {
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

export function findAccount(principal: string | undefined, arns: ParsedArn[]): string | undefined {
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
export function findActions(text: string): string[] {
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

// The policy ARN AWS now appends to a denial ("… with an explicit deny in a permissions boundary: arn:aws:iam::…"),
// for SCPs and RCPs as for identity policies, permissions boundaries and session policies.
const DENYING_POLICY_ARN_RE =
  /(?:polic(?:y|ies)|boundary)(?: allows the [\w:*-]{1,200} action)?[:\s]{1,3}(arn:aws[\w-]*:(?:iam|organizations)::[\w-]{0,40}:policy\/[^\s"',;()]{1,1024})/i;

/** The ARN of the policy that refused, when the message names it. */
export function findPolicyArn(text: string, has: (...n: string[]) => boolean, arns: ParsedArn[]): string | undefined {
  if (!has('policy/')) return undefined;
  const named = DENYING_POLICY_ARN_RE.exec(text)?.[1]?.replace(/[.:,]+$/, '');
  if (named) return named;
  return arns.find((a) => a.service === 'organizations' || a.resource.startsWith('policy/'))?.arn;
}
