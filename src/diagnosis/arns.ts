// Finds ARNs in flattened text with a single forward scan (no regex backtracking), tolerating the placeholders
// people paste (`{account-id}`, `REDACTED`, `xxxxxxxxxxxx`) and truncated ARNs such as `arn:aws:iam::REDACTED`.

export interface ParsedArn {
  /** The ARN exactly as written (trailing sentence punctuation removed). */
  arn: string;
  index: number;
  partition: string;
  service: string;
  /** Empty for global resources and for the foundation-model ARNs of global inference profiles. */
  region: string;
  /** As written: may be a placeholder; check with `isAccountId`. */
  account: string;
  /** Everything after the account field, e.g. `foundation-model/anthropic.claude-…`. */
  resource: string;
}

const MAX_ARNS = 64;
const MAX_ARN_LENGTH = 2048;
// Characters that cannot be part of an ARN as pasted: whitespace, quotes and the brackets/punctuation of wrappers.
const STOP = new Set([' ', '"', "'", '`', '<', '>', '(', ')', ',', ';', '|', '\\', '[', ']']);

export function isAccountId(value: string | undefined): value is string {
  return value !== undefined && /^\d{12}$/.test(value);
}

export function findArns(text: string): ParsedArn[] {
  const found: ParsedArn[] = [];
  let from = 0;
  while (found.length < MAX_ARNS) {
    const index = text.indexOf('arn:', from);
    if (index < 0) break;
    let end = index + 4;
    const limit = Math.min(text.length, index + MAX_ARN_LENGTH);
    while (end < limit && !STOP.has(text.charAt(end))) end++;
    from = end > index + 4 ? end : index + 4;
    // `arn:` must start a token: `warn:` or `xarn:` are not ARNs.
    const before = index > 0 ? text.charAt(index - 1) : ' ';
    if (/[A-Za-z0-9_-]/.test(before)) continue;
    let arn = text.slice(index, end);
    while (arn.length > 0 && /[.:,]$/.test(arn)) arn = arn.slice(0, -1);
    const parsed = parseArn(arn, index);
    if (parsed) found.push(parsed);
  }
  return found;
}

function parseArn(arn: string, index: number): ParsedArn | undefined {
  const parts = arn.split(':');
  const [, partition, service, region, account] = parts;
  if (!partition?.startsWith('aws') || !service || !/^[a-z0-9-]+$/.test(service)) return undefined;
  return {
    arn,
    index,
    partition,
    service,
    region: region ?? '',
    account: account ?? '',
    resource: parts.slice(5).join(':'),
  };
}

/** For a Bedrock model ARN, the id after `foundation-model/` or `inference-profile/`. */
export function modelIdInArn(arn: ParsedArn): string | undefined {
  if (arn.service !== 'bedrock') return undefined;
  const slash = arn.resource.indexOf('/');
  if (slash <= 0) return undefined;
  const type = arn.resource.slice(0, slash);
  const id = arn.resource.slice(slash + 1);
  if (!id) return undefined;
  if (type === 'foundation-model' || type === 'inference-profile') return id;
  if (type === 'application-inference-profile' || type === 'provisioned-model' || type === 'custom-model') {
    return arn.arn;
  }
  return undefined;
}

/** Whether this ARN names an IAM/STS principal (user, role, assumed-role session, root, federated user). */
export function isPrincipalArn(arn: ParsedArn): boolean {
  if (arn.service !== 'sts' && arn.service !== 'iam') return false;
  return /^(assumed-role|role|user|federated-user)\/|^root$/.test(arn.resource);
}
