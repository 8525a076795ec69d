// Who is who in the demos' story, and the error @dana pastes (both demos tell the same story).
import { MODELS } from '../fakes/aws/standard-world.js';
import { APPROVER, APPROVER_CHANNEL, REQUESTER } from '../support/approval/approval-world.js';

export { APPROVER, APPROVER_CHANNEL, REQUESTER };

export const NAMES: Record<string, string> = { [REQUESTER]: '@dana', [APPROVER]: '@alex (approver)' };
export const CHANNELS: Record<string, string> = {
  [APPROVER_CHANNEL]: '#bedrock-approvals',
  [REQUESTER]: 'DM to @dana',
};
export const ERROR_TEXT =
  'botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the ' +
  'InvokeModel operation: Model access is denied due to IAM user or service role is not authorized to perform the ' +
  'required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access ' +
  `to this model. (model: ${MODELS.haiku}, region: us-east-1)`;
