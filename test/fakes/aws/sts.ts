// STS (awsQuery in, XML out): GetCallerIdentity and AssumeRole with trust, ExternalId and input checks.

import { evaluatePolicies } from './iam-policy.js';
import { type Caller, FakeServiceError, timestamp } from './protocol.js';
import type { FakeAwsWorld, FakePrincipal } from './world.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const NAME_CHARS = /^[\w+=,.@-]{2,64}$/;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function handleSts(world: FakeAwsWorld, caller: Caller, form: URLSearchParams, requestId: string): string {
  const action = form.get('Action');
  if (action === 'GetCallerIdentity') {
    // No permission is needed, and even an explicit deny does not block it.
    const c = caller.credential;
    const userId = c.session ? `${c.principal.uniqueId}:${c.session.name}` : c.principal.uniqueId;
    return xml(
      'GetCallerIdentity',
      `<Arn>${esc(caller.arn)}</Arn><UserId>${esc(userId)}</UserId><Account>${c.principal.accountId}</Account>`,
      requestId,
    );
  }
  if (action === 'AssumeRole') return assumeRole(world, caller, form, requestId);
  throw new FakeServiceError('InvalidAction', 400, `Could not find operation ${action ?? ''} for version 2011-06-15`);
}

function assumeRole(world: FakeAwsWorld, caller: Caller, form: URLSearchParams, requestId: string): string {
  const roleArn = form.get('RoleArn') ?? '';
  const sessionName = form.get('RoleSessionName') ?? '';
  const sourceIdentity = form.get('SourceIdentity') ?? undefined;
  const externalId = form.get('ExternalId') ?? undefined;
  const duration = Number(form.get('DurationSeconds') ?? 3600);
  if (!NAME_CHARS.test(sessionName)) {
    throw validation(
      `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  if (sourceIdentity !== undefined && !NAME_CHARS.test(sourceIdentity)) {
    throw validation(
      `Value '${sourceIdentity}' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const tags: Record<string, string> = {};
  for (let i = 1; form.has(`Tags.member.${i}.Key`); i++) {
    const key = form.get(`Tags.member.${i}.Key`) ?? '';
    const value = form.get(`Tags.member.${i}.Value`) ?? '';
    if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key) || value.length > 256 || !TAG_CHARS.test(value)) {
      throw validation(
        `Tag ${i} failed to satisfy constraint: Member must satisfy the tag key/value pattern and length`,
      );
    }
    tags[key] = value;
  }

  const denied = (): FakeServiceError =>
    new FakeServiceError(
      'AccessDenied',
      403,
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  const role = world.principals.get(roleArn);
  if (!role || role.kind !== 'role') throw denied();
  const callerPrincipal = caller.credential.principal;
  if (role.trustPolicy) {
    if (!trustPolicyAllows(world, caller, role, { externalId, sourceIdentity, tags })) throw denied();
  } else {
    if (world.authorize(callerPrincipal, caller.arn, 'sts:AssumeRole', roleArn)) throw denied();
    const trusted = role.trustedPrincipals ?? [];
    const trustsCaller =
      trusted.includes(callerPrincipal.arn) || trusted.includes(`arn:aws:iam::${callerPrincipal.accountId}:root`);
    if (!trustsCaller || (role.externalId !== undefined && role.externalId !== externalId)) throw denied();
    if (sourceIdentity !== undefined && role.allowSourceIdentity === false) throw denied();
    if (Object.keys(tags).length > 0 && role.allowTagSession === false) throw denied();
  }
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    throw validation('DurationSeconds must be between 900 and 43200.');
  }

  const cred = world.mintSession(role, sessionName, duration, sourceIdentity, tags);
  const session = cred.session;
  if (!session) throw new Error('minted session without session details');
  return xml(
    'AssumeRole',
    `<Credentials><AccessKeyId>${cred.accessKeyId}</AccessKeyId><SecretAccessKey>${esc(cred.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${esc(cred.sessionToken ?? '')}</SessionToken><Expiration>${timestamp(session.expiresAt)}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>${role.uniqueId}:${esc(sessionName)}</AssumedRoleId><Arn>${esc(session.arn)}</Arn></AssumedRoleUser>` +
      `<PackedPolicySize>${Object.keys(tags).length * 3}</PackedPolicySize>` +
      (sourceIdentity ? `<SourceIdentity>${esc(sourceIdentity)}</SourceIdentity>` : ''),
    requestId,
  );
}

/**
 * A role with a real trust policy: every action the request implies (AssumeRole, SetSourceIdentity when a source
 * identity is passed, TagSession when tags are) must be allowed by the trust policy and, across accounts, by the
 * caller's identity policy too. In the role's own account a trust statement naming the caller suffices (IAM's rule).
 */
function trustPolicyAllows(
  world: FakeAwsWorld,
  caller: Caller,
  role: FakePrincipal,
  request: { externalId?: string; sourceIdentity?: string; tags: Record<string, string> },
): boolean {
  const trustPolicy = role.trustPolicy;
  if (!trustPolicy) return false;
  const from = caller.credential.principal;
  const actions = [
    'sts:AssumeRole',
    ...(request.sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : []),
    ...(Object.keys(request.tags).length > 0 ? ['sts:TagSession'] : []),
  ];
  const context = {
    'sts:ExternalId': request.externalId,
    'sts:SourceIdentity': request.sourceIdentity,
    'aws:PrincipalArn': from.arn,
    'aws:PrincipalAccount': from.accountId,
    'aws:PrincipalOrgID': world.accounts.get(from.accountId)?.orgId,
    'aws:TagKeys': Object.keys(request.tags),
  };
  const resourceContext = {
    'aws:ResourceAccount': role.accountId,
    'aws:ResourceOrgID': world.accounts.get(role.accountId)?.orgId,
  };
  return actions.every((action) => {
    const trust = evaluatePolicies([trustPolicy], {
      action,
      resource: role.arn,
      principal: { arn: from.arn, accountId: from.accountId },
      context,
    });
    if (trust.decision !== 'allow') return false;
    if (from.accountId === role.accountId && trust.namedPrincipal) return true;
    return world.authorize(from, caller.arn, action, role.arn, { ...context, ...resourceContext }) === undefined;
  });
}

export function stsErrorXml(err: FakeServiceError, requestId: string): string {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

function xml(action: string, result: string, requestId: string): string {
  return `<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

function validation(message: string): FakeServiceError {
  return new FakeServiceError('ValidationError', 400, `1 validation error detected: ${message}`);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
