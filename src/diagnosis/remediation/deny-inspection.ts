// How to find the policy that denies, per kind of policy, and confirm it with the IAM policy simulator.
import { sh } from '../iam-policies.js';
import type { RemediationStep } from '../types.js';
import { bash, type RemedyContext } from './context.js';
import { principalLabel, serviceRoleDetail } from './shared.js';

export function denyInspectionSteps(ctx: RemedyContext, flavour: string): RemediationStep[] {
  const named = namedIamPolicyStep(ctx);
  const steps = kindSteps(ctx, flavour);
  return named ? [named, ...steps.map((s) => ({ ...s, recommended: false }))] : steps;
}

/**
 * AWS now names the denying IAM policy (identity-based, permissions boundary, session policy): the fix starts at
 * that policy, read with its default version.
 */
function namedIamPolicyStep(ctx: RemedyContext): RemediationStep | undefined {
  const arn = ctx.facts.policyArn;
  if (!arn?.includes(':iam:') || /[{}<>]/.test(arn)) return undefined;
  const name = arn.split('/').pop() ?? arn;
  const owner = arn.includes(':iam::aws:')
    ? 'an AWS managed policy: detach it, or ask who attached it'
    : 'change its Deny (or missing Allow) for the action';
  return {
    title: `Read the policy the message names: ${name}`,
    detail: `${arn} is ${ctx.facts.deniedBy ?? 'the policy'} that refused the call; ${owner}.`,
    code: bash(
      `aws iam get-policy ${ctx.profileOpt}--policy-arn ${sh(arn)}\n` +
        `aws iam get-policy-version ${ctx.profileOpt}--policy-arn ${sh(arn)} \\\n` +
        `  --version-id "$(aws iam get-policy ${ctx.profileOpt}--policy-arn ${sh(arn)} --query Policy.DefaultVersionId --output text)"`,
    ),
    recommended: true,
  };
}

function kindSteps(ctx: RemedyContext, flavour: string): RemediationStep[] {
  return OWNED_POLICY_KINDS.has(flavour) ? ownedPolicySteps(ctx, flavour) : otherGuardSteps(ctx, flavour);
}

const OWNED_POLICY_KINDS = new Set(['scp', 'rcp', 'identity_policy', 'permissions_boundary']);

/** Policies with an owner to ask: the organization's SCPs and RCPs, the caller's policies and boundary. */
function ownedPolicySteps(ctx: RemedyContext, flavour: string): RemediationStep[] {
  const { facts, principal } = ctx;
  const account = facts.accountId ?? '<account-id>';
  const policyId = facts.policyArn?.split('/').pop();
  switch (flavour) {
    case 'scp':
    case 'rcp': {
      const filter = flavour === 'scp' ? 'SERVICE_CONTROL_POLICY' : 'RESOURCE_CONTROL_POLICY';
      const lines = [`aws organizations list-policies-for-target --target-id ${account} --filter ${filter}`];
      if (policyId && !policyId.includes('{'))
        lines.push(`aws organizations describe-policy --policy-id ${sh(policyId)}`);
      return [
        {
          title: `Ask your AWS Organizations administrators to review the ${flavour === 'scp' ? 'SCP' : 'RCP'}`,
          detail:
            'Only the management account (or a delegated administrator) can read or change it. The commands below ' +
            'run there; SCPs also apply through the OUs above the account.',
          code: bash(lines.join('\n')),
          recommended: ctx.flavour !== 'marketplace' && ctx.flavour !== 'global_profile_region',
        },
      ];
    }
    case 'identity_policy':
      return [
        {
          title: `Find the Deny statement in the policies of ${principalLabel(ctx)}`,
          detail: `Look for "Effect": "Deny" covering the action (also in the policies of its groups for a user).${serviceRoleDetail(ctx)}`,
          code: bash(
            principal.kind === 'user'
              ? `aws iam list-attached-user-policies --user-name ${sh(principal.name)}\naws iam list-user-policies --user-name ${sh(principal.name)}\naws iam list-groups-for-user --user-name ${sh(principal.name)}`
              : `aws iam list-attached-role-policies --role-name ${sh(principal.name)}\naws iam list-role-policies --role-name ${sh(principal.name)}`,
          ),
          recommended: ctx.flavour === 'identity_policy',
        },
        simulateStep(ctx),
      ];
    case 'permissions_boundary':
      return [
        {
          title: `Check the permissions boundary of ${principalLabel(ctx)}`,
          detail:
            'A boundary caps what the identity may do, whatever its policies allow. Boundaries are usually owned by ' +
            'the platform team; ask them to allow the action in the boundary policy.',
          code: bash(
            principal.kind === 'user'
              ? `aws iam get-user --user-name ${sh(principal.name)} --query User.PermissionsBoundary`
              : `aws iam get-role --role-name ${sh(principal.name)} --query Role.PermissionsBoundary`,
          ),
          recommended: ctx.flavour === 'permissions_boundary',
        },
        simulateStep(ctx),
      ];
    default:
      return [];
  }
}

/** Session policies, resource policies, VPC endpoint policies, and denies that name no policy. */
function otherGuardSteps(ctx: RemedyContext, flavour: string): RemediationStep[] {
  const { facts, principal } = ctx;
  switch (flavour) {
    case 'session_policy':
      return [
        {
          title: 'Get credentials without the restricting session policy',
          detail:
            'These credentials were created with a session policy (the Policy/PolicyArns of AssumeRole or ' +
            'GetFederationToken, or a tool that passes one, such as a broker or an agent runtime). Re-assume the ' +
            'role without it, or add the action to that session policy.',
          code: bash(
            `aws sts assume-role --role-arn ${principal.iamArnExpr} --role-session-name bedrock-check\n` +
              '# then retry with those credentials; if it works, the session policy was the cause',
          ),
          recommended: ctx.flavour === 'session_policy',
        },
      ];
    case 'resource_policy':
      return [
        {
          title: 'Review the resource-based policy of the resource',
          detail: `Find the Deny in the policy attached to ${facts.resource ?? 'the resource'} (KMS key, S3 bucket, …).`,
        },
      ];
    case 'vpc_endpoint_policy':
      return [
        {
          title: 'Review the policy of the Bedrock VPC interface endpoint',
          detail: 'Traffic through the endpoint is filtered by its policy; allow the action and model there.',
          code: bash(
            `aws ec2 describe-vpc-endpoints --region ${sh(ctx.region)} \\\n` +
              `  --filters Name=service-name,Values=com.amazonaws.${ctx.region}.bedrock-runtime --query "VpcEndpoints[].PolicyDocument"`,
          ),
          recommended: true,
        },
      ];
    default:
      return [
        {
          title: 'Find which policy denies it',
          detail:
            'The message was cut before it named the policy type. CloudTrail keeps the full error; the simulator ' +
            'shows identity-side denies; SCPs are visible from the management account.',
          code: bash(
            `aws cloudtrail lookup-events --region ${sh(ctx.region)} --max-results 5 \\\n` +
              `  --lookup-attributes AttributeKey=EventName,AttributeValue=${facts.operation ?? 'InvokeModel'}`,
          ),
        },
        simulateStep(ctx),
      ];
  }
}

function simulateStep(ctx: RemedyContext): RemediationStep {
  const actions = ctx.facts.actions?.join(' ') ?? 'bedrock:InvokeModel';
  const resource =
    ctx.facts.resource?.startsWith('arn:') && !ctx.facts.resource.includes('{')
      ? ` --resource-arns ${sh(ctx.facts.resource)}`
      : '';
  return {
    title: 'Confirm with the IAM policy simulator which statement decides',
    code: bash(
      `aws iam simulate-principal-policy --policy-source-arn ${ctx.principal.iamArnExpr} \\\n  --action-names ${actions}${resource}`,
    ),
  };
}
