// A small IAM policy evaluator for the fake: the statement shapes CloudFormation templates carry (Allow/Deny,
// Action/NotAction with wildcards, Resource ARNs with wildcards, Principal for trust policies) and the condition
// operators our templates use. Explicit deny beats allow; nothing matching is an implicit deny.

export type Values = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: Values;
  NotAction?: Values;
  Resource?: Values;
  NotResource?: Values;
  /** Trust and resource policies only. */
  Principal?: '*' | Record<string, Values>;
  Condition?: Record<string, Record<string, Values | boolean>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** What one call asks for: the action, its resource ARN, the calling principal and the request's condition keys. */
export interface AuthRequest {
  action: string;
  resource: string;
  /** For trust policies: the caller's principal ARN (a role's ARN for its sessions) and account. */
  principal?: { arn: string; accountId: string; service?: string };
  /** Condition keys, e.g. `sts:ExternalId`, `aws:ResourceOrgID` (names case-insensitive, as in IAM). */
  context?: Record<string, Values | undefined>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface Evaluation {
  decision: Decision;
  /** The statement that decided (for an allow: the first that allowed). */
  statement?: PolicyStatement;
  /** For trust policies: whether the allowing statement named the caller's ARN itself (not only its account). */
  namedPrincipal?: boolean;
}

export function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function evaluatePolicies(documents: readonly PolicyDocument[], request: AuthRequest): Evaluation {
  let allowed: Evaluation | undefined;
  for (const statement of documents.flatMap(statementsOf)) {
    const principalMatch = request.principal ? matchPrincipal(statement, request.principal) : 'any';
    if (!principalMatch) continue;
    if (!matchAction(statement, request.action) || !matchResource(statement, request.resource)) continue;
    if (!conditionsHold(statement.Condition, request.context ?? {})) continue;
    if (statement.Effect === 'Deny') return { decision: 'explicit-deny', statement };
    allowed ??= { decision: 'allow', statement, namedPrincipal: principalMatch === 'arn' };
  }
  return allowed ?? { decision: 'implicit-deny' };
}

function list(values: Values | undefined): string[] {
  if (values === undefined) return [];
  return Array.isArray(values) ? values : [values];
}

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value);
}

function matchAction(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return list(statement.Action).some((p) => wildcardMatch(p, action, true));
}

function matchResource(statement: PolicyStatement, resource: string): boolean {
  // Trust policies carry no Resource: the role itself is the resource.
  if (statement.Resource === undefined && statement.NotResource === undefined) return true;
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((p) => wildcardMatch(p, resource));
  return list(statement.Resource).some((p) => wildcardMatch(p, resource));
}

function matchPrincipal(
  statement: PolicyStatement,
  caller: NonNullable<AuthRequest['principal']>,
): 'arn' | 'account' | 'any' | undefined {
  const principal = statement.Principal;
  if (principal === undefined) return undefined;
  if (principal === '*') return 'any';
  if (caller.service) return list(principal.Service).includes(caller.service) ? 'arn' : undefined;
  for (const entry of list(principal.AWS)) {
    if (entry === '*') return 'any';
    if (entry === caller.arn) return 'arn';
    if (entry === caller.accountId || entry === `arn:aws:iam::${caller.accountId}:root`) return 'account';
  }
  return undefined;
}

type Operator = (actual: string, expected: string) => boolean;

const OPERATORS: Record<string, Operator> = {
  stringequals: (a, e) => a === e,
  stringnotequals: (a, e) => a !== e,
  stringequalsignorecase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  stringlike: (a, e) => wildcardMatch(e, a),
  stringnotlike: (a, e) => !wildcardMatch(e, a),
  arnequals: (a, e) => a === e,
  arnlike: (a, e) => wildcardMatch(e, a),
  arnnotlike: (a, e) => !wildcardMatch(e, a),
  bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
};
const NEGATED = new Set(['stringnotequals', 'stringnotlike', 'arnnotlike']);

function conditionsHold(
  conditions: PolicyStatement['Condition'],
  context: Record<string, Values | undefined>,
): boolean {
  if (!conditions) return true;
  const keys = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(conditions).every(([rawOperator, tests]) =>
    Object.entries(tests).every(([key, expected]) =>
      conditionHolds(rawOperator, keys.get(key.toLowerCase()), list(toValues(expected))),
    ),
  );
}

function toValues(value: Values | boolean): Values {
  return typeof value === 'boolean' ? String(value) : value;
}

function conditionHolds(rawOperator: string, actualValue: Values | undefined, expected: string[]): boolean {
  let operator = rawOperator.toLowerCase();
  const set = operator.startsWith('forallvalues:') ? 'all' : operator.startsWith('foranyvalue:') ? 'any' : undefined;
  if (set) operator = operator.slice(operator.indexOf(':') + 1);
  const ifExists = operator.endsWith('ifexists');
  if (ifExists) operator = operator.slice(0, -'ifexists'.length);
  if (operator === 'null') {
    const absent = actualValue === undefined || list(actualValue).length === 0;
    return expected.some((e) => (e.toLowerCase() === 'true') === absent);
  }
  const test = OPERATORS[operator];
  if (!test) throw new Error(`fake IAM: condition operator ${rawOperator} is not implemented`);
  const actual = list(actualValue);
  if (actual.length === 0) return ifExists || NEGATED.has(operator) || set === 'all';
  const one = (a: string) =>
    NEGATED.has(operator) ? expected.every((e) => test(a, e)) : expected.some((e) => test(a, e));
  return set === 'all' ? actual.every(one) : actual.some(one);
}
