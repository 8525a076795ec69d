// A missing IAM allow (an implicit deny): the statement to add, scoped to what the message names.
import { actionsPolicy, attachPolicyCommand, invokePolicy, sh } from '../iam-policies.js';
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext } from './context.js';
import { principalLabel, serviceRoleDetail } from './shared.js';

export function iamRemedy(ctx: RemedyContext): Remedy {
  const actions = ctx.facts.actions ?? [];
  const named = actions.length > 0 ? actions.join(', ') : 'the action';
  const who = ctx.facts.principalArn ?? 'the caller';
  const steps: RemediationStep[] = [];
  let explanation =
    `${who} has no IAM permission for ${named}${ctx.facts.resource ? ` on ${ctx.facts.resource}` : ''}: ` +
    'no identity-based policy attached to it allows the call (an implicit deny). Nothing is wrong with the model ' +
    'or the account; the identity needs an allow statement.';
  if (ctx.flavour === 'invoke') {
    steps.push({
      title: `Allow ${principalLabel(ctx)} to invoke ${ctx.modelName}`,
      detail:
        'InvokeModel and InvokeModelWithResponseStream also cover Converse and ConverseStream. Cross-region ' +
        'inference profiles need the profile ARN and the foundation model in every destination region (hence the ' +
        `"*" region).${serviceRoleDetail(ctx)}`,
      code: bash(attachPolicyCommand(ctx.principal, 'BedrockInvokeModel', invokePolicy(ctx.facts))),
      recommended: true,
    });
  } else if (ctx.flavour === 'assume_role') {
    explanation =
      `${who} may not assume the target role: either its own policy lacks sts:AssumeRole on that role, or the ` +
      'role’s trust policy does not trust it.';
    steps.push(
      {
        title: 'Allow the caller to assume the role',
        code: bash(
          attachPolicyCommand(
            ctx.principal,
            'AllowAssumeTargetRole',
            actionsPolicy(['sts:AssumeRole'], ctx.facts.resource),
          ),
        ),
      },
      {
        title: 'Check the target role’s trust policy names the caller',
        code: bash(`aws iam get-role --role-name <target-role-name> --query Role.AssumeRolePolicyDocument`),
      },
    );
  } else if (ctx.flavour === 'agent_lambda') {
    const fn = ctx.clues.arns.find((a) => a.service === 'lambda')?.arn;
    const account = fn?.split(':')[4];
    explanation =
      `The agent could not call its action-group Lambda function${fn ? ` ${fn}` : ''}. Bedrock invokes the function ` +
      'as the bedrock.amazonaws.com service, so the function’s resource-based policy must allow that service; ' +
      'IAM policies of the caller or the agent role do not help here.';
    steps.push(
      {
        title: 'Allow Bedrock to invoke the function, for this agent only',
        detail: 'Replace <agent-id> with the agent’s id; the source ARN keeps other agents and accounts out.',
        code: bash(
          `aws lambda add-permission ${ctx.profileOpt}--function-name ${sh(fn ?? '<function-name>')} \\\n` +
            `  --statement-id AllowBedrockAgent --action lambda:InvokeFunction \\\n` +
            `  --principal bedrock.amazonaws.com \\\n` +
            `  --source-arn ${sh(`arn:aws:bedrock:${ctx.region}:${account ?? '<account-id>'}:agent/<agent-id>`)}`,
        ),
        recommended: true,
      },
      {
        title: 'Check the function’s current policy',
        code: bash(`aws lambda get-policy ${ctx.profileOpt}--function-name ${sh(fn ?? '<function-name>')}`),
      },
    );
  } else if (ctx.flavour === 'resource_policy') {
    explanation =
      `The resource ${ctx.facts.resource ?? ''} has a resource-based policy that does not allow ${who}. ` +
      'Cross-account access needs an allow in both the caller’s policy and the resource’s policy.';
    steps.push({
      title: 'Add the caller to the resource’s policy (for example a KMS key policy or an S3 bucket policy)',
      detail: `Allow ${named} for ${who} in the policy attached to ${ctx.facts.resource ?? 'the resource'}.`,
    });
  } else {
    const list = actions.filter((a) => !a.startsWith('aws-marketplace:'));
    steps.push({
      title: `Allow ${principalLabel(ctx)} to call ${list.length ? list.join(', ') : 'the action'}`,
      detail: `Scope the resource as tightly as you can.${serviceRoleDetail(ctx)}`,
      code: bash(
        attachPolicyCommand(
          ctx.principal,
          'BedrockNamedActions',
          actionsPolicy(list.length ? list : ['<service>:<Action>'], ctx.facts.resource),
        ),
      ),
      recommended: true,
    });
  }
  if (actions.length > 0) {
    steps.push({
      title: 'Verify with the IAM policy simulator',
      code: bash(
        `aws iam simulate-principal-policy --policy-source-arn ${ctx.principal.iamArnExpr} \\\n` +
          `  --action-names ${actions.join(' ')}` +
          (ctx.facts.resource?.startsWith('arn:') && !ctx.facts.resource.includes('{')
            ? ` --resource-arns ${sh(ctx.facts.resource)}`
            : ''),
      ),
    });
  }
  return {
    title:
      ctx.flavour === 'agent_lambda'
        ? 'The agent may not invoke its Lambda function'
        : `IAM permission missing: ${named}`,
    explanation,
    steps,
    notes: [
      'If your organization manages IAM with CloudFormation, CDK or Terraform, add the statement there instead of with the CLI.',
      'IAM changes take effect within seconds, but cached credentials in long-running processes keep working as before until refreshed.',
    ],
    activationCanHelp: false,
  };
}
