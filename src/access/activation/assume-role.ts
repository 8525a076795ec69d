// Step 1: AssumeRole into the account's activation role, so CloudTrail shows which request and which approver every
// later call belongs to (session name, SourceIdentity, session tags).
import { messageOf } from '../../errors.js';
import { isAwsCallError } from '../aws-call-error.js';
import type { Principal } from '../ports.js';
import { ActivationError, ActivationErrorReason, fromAws } from './activation-errors.js';
import type { RunContext } from './run-context.js';
import { sessionNameFor, sourceIdentityFor, tagValue } from './sts-names.js';
import type { ActivationResult } from './types.js';

/** The activation session's principal; its ARN goes into `result.sessionArn` for the audit trail. */
export async function assumeActivationRole(c: RunContext, result: ActivationResult): Promise<Principal> {
  const { request, region, baseModelId, emit } = c;
  emit('assume_role', 'started', c.roleArn);
  try {
    const session = await c.deps.aws.identity(region, { kind: 'default' }).assumeRole(
      {
        roleArn: c.roleArn,
        sessionName: sessionNameFor(request.requestId),
        externalId: c.account.externalId,
        sourceIdentity: sourceIdentityFor(request.approver),
        tags: {
          'bedrock-doctor:request-id': tagValue(request.requestId),
          'bedrock-doctor:model': tagValue(baseModelId),
          'bedrock-doctor:requester': tagValue(request.requester ?? 'unknown'),
          'bedrock-doctor:approver': tagValue(request.approver),
        },
      },
      c.callOptions,
    );
    result.sessionArn = session.arn;
    emit('assume_role', 'done', session.arn);
    return { kind: 'session', credentials: session.credentials };
  } catch (err) {
    emit('assume_role', 'failed', messageOf(err));
    if (isAwsCallError(err, 'access-denied')) {
      throw new ActivationError(
        ActivationErrorReason.AssumeRoleDenied,
        `The bot may not assume the activation role ${c.roleArn}: ${err.message}. Check the role's trust policy ` +
          '(it must trust the bot and allow sts:SetSourceIdentity and sts:TagSession) and the ExternalId.',
        { step: 'assume_role', awsMessage: err.message },
        { cause: err },
      );
    }
    throw fromAws(err, 'assume_role');
  }
}
