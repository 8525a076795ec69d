// A missing IAM allow (an implicit deny): the statement to add, scoped to what the message names.
import { actionsPolicy, attachPolicyCommand, invokePolicy, sh } from '../iam-policies.js';
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext } from './context.js';
import { principalLabel, serviceRoleDetail } from './shared.js';

type Flavoured = { steps: RemediationStep[]; explanation?: string };

export function iamRemedy(ctx: RemedyContext): Remedy {
  const actions = ctx.facts.actions ?? [];
  const named = actions.length > 0 ? actions.join(', ') : 'the action';
  const who = ctx.facts.principalArn ?? 'the caller';
  const build = FLAVOURS[ctx.flavour] ?? namedActionsSteps;
  const { steps, explanation } = build(ctx, who, named);
  if (actions.length > 0) steps.push(simulatorStep(ctx, actions));
  return {
    title:
      ctx.flavour === 'agent_lambda'
        ? 'The agent may not invoke its Lambda function'
        : `IAM permission missing: ${actions.length > 0 ? named : `access for ${who}`}`,
    explanation:
      explanation ??
      `${who} has no IAM permission for ${named}${ctx.facts.resource ? ` on ${ctx.facts.resource}` : ''}: ` +
        'no identity-based policy attached to it allows the call (an implicit deny). Nothing is wrong with the model ' +
        'or the account; the identity needs an allow statement.',
    steps,
    notes: [
      'If your organization manages IAM with CloudFormation, CDK or Terraform, add the statement there instead of with the CLI.',
      'IAM changes take effect within seconds, but cached credentials in long-running processes keep working as before until refreshed.',
    ],
    activationCanHelp: false,
  };
}

const FLAVOURS: Record<string, (ctx: RemedyContext, who: string, named: string) => Flavoured> = {
  invoke: (ctx) => ({
    steps: [
      {
        title: `Allow ${principalLabel(ctx)} to invoke ${ctx.modelName}`,
        detail:
          'InvokeModel and InvokeModelWithResponseStream also cover Converse and ConverseStream. Cross-region ' +
          'inference profiles need the profile ARN and the foundation model in every destination region (hence the ' +
          `"*" region).${serviceRoleDetail(ctx)}`,
        code: bash(attachPolicyCommand(ctx.principal, 'BedrockInvokeModel', invokePolicy(ctx.facts))),
        recommended: true,
      },
    ],
  }),
  assume_role: (ctx, who) => ({
    explanation:
      `${who} may not assume the target role: either its own policy lacks sts:AssumeRole on that role, or the ` +
      'role’s trust policy does not trust it.',
    steps: [
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
    ],
  }),
  agent_lambda: agentLambdaSteps,
  resource_policy: (ctx, who, named) => ({
    explanation:
      `The resource ${ctx.facts.resource ?? ''} has a resource-based policy that does not allow ${who}. ` +
      'Cross-account access needs an allow in both the caller’s policy and the resource’s policy.',
    steps: [
      {
        title: 'Add the caller to the resource’s policy (for example a KMS key policy or an S3 bucket policy)',
        detail: `Allow ${named} for ${who} in the policy attached to ${ctx.facts.resource ?? 'the resource'}.`,
      },
    ],
  }),
  mantle: (ctx, who) => ({
    explanation:
      `${who} may not use the OpenAI-compatible Bedrock endpoint (bedrock-mantle): its actions are in their own ` +
      'IAM namespace, bedrock-mantle:, so bedrock:InvokeModel permissions do not cover it.',
    steps: [
      {
        title: `Attach AmazonBedrockMantleInferenceAccess to ${principalLabel(ctx)}, or allow the bedrock-mantle: actions`,
        detail: `The managed policy allows bedrock-mantle:CreateInference, Get* and List* on projects.${serviceRoleDetail(ctx)}`,
        code: bash(managedPolicyCommand(ctx, 'arn:aws:iam::aws:policy/AmazonBedrockMantleInferenceAccess')),
        recommended: true,
      },
    ],
  }),
  external_anthropic: (ctx, who, named) => ({
    explanation:
      `${who} may not call Claude Platform on AWS: its API is authorised by IAM actions in the ` +
      `aws-external-anthropic: namespace on the workspace, not by bedrock: actions. Missing: ${named}.`,
    steps: namedActionsSteps(ctx, who, named).steps,
  }),
  guardrail: (ctx, who) => ({
    explanation:
      `${who} may not apply the guardrail ${ctx.facts.resource ?? ''}. When an AWS Organizations Bedrock policy ` +
      'enforces a guardrail, every model call also applies that guardrail, so callers need bedrock:ApplyGuardrail ' +
      'on it (in its account, its resource-based policy must allow them too).',
    steps: namedActionsSteps(ctx, who, 'bedrock:ApplyGuardrail').steps,
  }),
  caller_denied: (ctx, who) => ({
    explanation:
      `AWS refused ${who}${ctx.facts.operation ? ` for ${ctx.facts.operation}` : ''} without naming the action. ` +
      'The caller is known, so the fix is on its policies: allow the Bedrock actions the call needs.',
    steps: namedActionsSteps(ctx, who, 'the action').steps,
  }),
};

function namedActionsSteps(ctx: RemedyContext, _who: string, named: string): Flavoured {
  const listed = (ctx.facts.actions ?? []).filter((a) => !a.startsWith('aws-marketplace:'));
  const fallback = named.includes(':')
    ? [named]
    : [ctx.facts.operation ? `bedrock:${ctx.facts.operation}` : '<service>:<Action>'];
  const list = listed.length > 0 ? listed : fallback;
  return {
    steps: [
      {
        title: `Allow ${principalLabel(ctx)} to call ${list.join(', ')}`,
        detail: `Scope the resource as tightly as you can.${serviceRoleDetail(ctx)}`,
        code: bash(attachPolicyCommand(ctx.principal, 'BedrockNamedActions', actionsPolicy(list, ctx.facts.resource))),
        recommended: true,
      },
    ],
  };
}

function agentLambdaSteps(ctx: RemedyContext): Flavoured {
  const fn = ctx.clues.arns.find((a) => a.service === 'lambda')?.arn;
  const account = fn?.split(':')[4];
  return {
    explanation:
      `The agent could not call its action-group Lambda function${fn ? ` ${fn}` : ''}. Bedrock invokes the function ` +
      'as the bedrock.amazonaws.com service, so the function’s resource-based policy must allow that service; ' +
      'IAM policies of the caller or the agent role do not help here.',
    steps: [
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
    ],
  };
}

function managedPolicyCommand(ctx: RemedyContext, policyArn: string): string {
  const p = ctx.principal;
  if (p.kind === 'user') return `aws iam attach-user-policy --user-name ${sh(p.name)} --policy-arn ${policyArn}`;
  return `aws iam attach-role-policy --role-name ${sh(p.name)} --policy-arn ${policyArn}`;
}

function simulatorStep(ctx: RemedyContext, actions: string[]): RemediationStep {
  const resource = ctx.facts.resource;
  return {
    title: 'Verify with the IAM policy simulator',
    code: bash(
      `aws iam simulate-principal-policy --policy-source-arn ${ctx.principal.iamArnExpr} \\\n` +
        `  --action-names ${actions.join(' ')}` +
        (resource?.startsWith('arn:') && !resource.includes('{') ? ` --resource-arns ${sh(resource)}` : ''),
    ),
  };
}
