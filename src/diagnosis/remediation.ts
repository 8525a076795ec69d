// Turns a classification plus facts into words and safe, ordered steps. Commands are filled with the extracted
// model id, region and principal; anything unknown stays a visible `<placeholder>`.
import type { Classification } from './classify.js';
import type { Clues } from './extract-facts.js';
import {
  actionsPolicy,
  attachPolicyCommand,
  invokePolicy,
  marketplacePolicy,
  type Principal,
  principalOf,
  sh,
} from './iam-policies.js';
import { NO_MARKETPLACE_PROVIDER_NAMES, providerOf } from './providers.js';
import type { Diagnosis, Facts, RemediationStep } from './types.js';

export type Remedy = Pick<Diagnosis, 'title' | 'explanation' | 'steps' | 'notes' | 'activationCanHelp'>;

interface Ctx {
  cause: string;
  flavour: string;
  facts: Facts;
  clues: Clues;
  /** Model reference for runtime calls (as written), or a placeholder. */
  model: string;
  /** Foundation model id for the agreement and catalogue APIs, or a placeholder. */
  base: string;
  region: string;
  principal: Principal;
  /** Human name of the model for titles: "anthropic.claude-3-haiku…" or "the model". */
  modelName: string;
  /** The same, to open a sentence: "anthropic.claude-3-haiku…" or "The model". */
  modelSubject: string;
  /** `--profile x ` when the text named a profile. */
  profileOpt: string;
}

const bash = (content: string) => ({ language: 'bash' as const, content });
const json = (doc: object) => ({ language: 'json' as const, content: JSON.stringify(doc, null, 2) });
const text = (content: string) => ({ language: 'text' as const, content });

const SETTLE_NOTE =
  'After the fix (new permissions or a created agreement) it can take up to ~2 minutes for the subscription to ' +
  'settle; AccessDeniedException may continue during that window, so wait before retrying.';
const NO_MARKETPLACE_NOTE = `${NO_MARKETPLACE_PROVIDER_NAMES.join(', ').replace(/, ([^,]*)$/, ' and $1')} models are not sold through AWS Marketplace and need no Marketplace rights.`;
const EULA_NOTE =
  "The first call to a third-party model accepts the provider's EULA for the whole account. Organizations that " +
  'review EULAs first block models with an SCP or IAM deny; an explicit deny overrides any allow added here, so ' +
  'ask whoever owns those policies before working around them.';
const ONCE_PER_ACCOUNT_NOTE =
  'Marketplace rights are needed only once per account: after the model is activated, every role in the account ' +
  'can invoke it (in every region that offers it) without them.';

export function remediate(classification: Classification, facts: Facts, clues: Clues): Remedy {
  const { category, cause } = classification;
  const flavour = cause.slice(category.length + 1);
  const ctx: Ctx = {
    cause,
    flavour,
    facts,
    clues,
    model: facts.modelId ?? '<model-id>',
    base: facts.baseModelId ?? '<model-id>',
    region: facts.region ?? '<region>',
    principal: principalOf(facts.principalArn),
    modelName: facts.modelId ?? 'the model',
    modelSubject: facts.modelId ?? 'The model',
    profileOpt: clues.profileName ? `--profile ${sh(clues.profileName)} ` : '',
  };
  switch (category) {
    case 'marketplace_subscription_missing':
      return marketplaceRemedy(ctx);
    case 'anthropic_use_case_form_missing':
      return useCaseRemedy(ctx);
    case 'model_access_not_granted':
      return modelAccessRemedy(ctx);
    case 'iam_permission_missing':
      return iamRemedy(ctx);
    case 'explicit_deny':
      return explicitDenyRemedy(ctx);
    case 'inference_profile_required':
      return inferenceProfileRemedy(ctx);
    case 'model_not_found_or_eol':
      return modelLifecycleRemedy(ctx);
    case 'region_unsupported':
      return regionRemedy(ctx);
    case 'client_misconfigured':
      return clientRemedy(ctx);
    case 'credentials_invalid_or_expired':
      return credentialsRemedy(ctx);
    case 'throttling_or_quota':
      return throttlingRemedy(ctx);
    case 'account_restricted':
      return accountRestrictedRemedy(ctx);
    default:
      return unknownRemedy(ctx);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shared steps

function activationStep(ctx: Ctx, why: string): RemediationStep {
  return {
    title: `Ask an admin to activate ${ctx.modelName} once for the account`,
    detail:
      `${why} ${
        (ctx.facts.baseModelId ?? ctx.facts.modelId)
          ? 'In Slack, press "Request activation" on this diagnosis to hand it to an admin.'
          : 'In Slack, run /bedrock why again with the model id in the paste to get a "Request activation" button.'
      } An admin with the activation role runs the command below: it lists the offers (showing the terms), ` +
      'submits the Anthropic use-case form if needed, creates the agreement and waits until it settles.',
    code: bash(`bedrock-doctor activate ${sh(ctx.base)} --region ${sh(ctx.region)}`),
    recommended: true,
  };
}

function useCaseFormCommand(ctx: Ctx): string {
  return (
    `cat > use-case.json <<'EOF'\n` +
    `{"companyName":"<company>","companyWebsite":"https://<company-site>","intendedUsers":"0",` +
    `"industryOption":"<industry>","otherIndustryOption":"","useCases":"<what you will use the model for>"}\n` +
    `EOF\n` +
    `aws bedrock put-use-case-for-model-access ${ctx.profileOpt}--form-data fileb://use-case.json --region ${sh(ctx.region)}`
  );
}

function agreementCommands(ctx: Ctx, withUseCase: boolean): string {
  const m = sh(ctx.base);
  const r = sh(ctx.region);
  const p = ctx.profileOpt;
  const lines = [];
  if (withUseCase) {
    lines.push(
      '# Anthropic only, once per account: submit the use-case form first (see the form step)',
      `aws bedrock put-use-case-for-model-access ${p}--form-data fileb://use-case.json --region ${r}`,
    );
  }
  lines.push(
    `OFFER=$(aws bedrock list-foundation-model-agreement-offers ${p}--model-id ${m} --region ${r} \\`,
    `  --query 'offers[0].offerToken' --output text)`,
    `aws bedrock create-foundation-model-agreement ${p}--model-id ${m} --offer-token "$OFFER" --region ${r}`,
    '# repeat until agreementAvailability.status is AVAILABLE (usually within ~2 minutes)',
    `aws bedrock get-foundation-model-availability ${p}--model-id ${m} --region ${r}`,
  );
  return lines.join('\n');
}

function principalLabel(ctx: Ctx): string {
  if (ctx.principal.kind === 'unknown') return 'the calling role or user';
  return `${ctx.principal.kind} ${ctx.principal.name}`;
}

function serviceRoleDetail(ctx: Ctx): string {
  if (ctx.principal.bedrockServiceRole === 'agent') {
    return ' This is the service role Bedrock assumes for your agent: change that role, not your own user.';
  }
  if (ctx.principal.bedrockServiceRole === 'knowledge_base') {
    return ' This is the service role Bedrock assumes for your knowledge base: change that role, not your own user.';
  }
  if (ctx.principal.ssoPermissionSet) {
    return ' The role comes from an IAM Identity Center permission set, so the change belongs in that permission set.';
  }
  if (ctx.principal.kind === 'unknown')
    return ' Run `aws sts get-caller-identity` with the same credentials to see who calls.';
  return '';
}

function whoAmIStep(ctx: Ctx): RemediationStep {
  return {
    title: 'Check which identity and account the failing code really uses',
    detail: 'Run it with the same environment, profile and region as the failing code.',
    code: bash(`aws sts get-caller-identity ${ctx.profileOpt}`.trimEnd()),
  };
}

function providerNote(ctx: Ctx): string[] {
  const provider = ctx.facts.modelId ? providerOf(ctx.facts.modelId) : undefined;
  if (provider?.marketplace === false) {
    return [
      `${provider.name} models are not sold through AWS Marketplace, so a Marketplace error for ${ctx.modelName} is ` +
        'unexpected: check that the code calls the model you think it does (it has also been seen on the ' +
        'OpenAI-compatible bedrock-mantle endpoint).',
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Per category

function marketplaceRemedy(ctx: Ctx): Remedy {
  const provider = ctx.facts.modelId ? providerOf(ctx.facts.modelId) : undefined;
  const anthropic = provider?.useCaseForm ?? ctx.facts.provider === 'anthropic';
  const settle = ctx.facts.retryAfterMinutes
    ? ` The message itself says to try again after ${ctx.facts.retryAfterMinutes} minutes.`
    : '';
  if (ctx.flavour === 'payment_method') {
    return {
      title: 'AWS Marketplace subscription failed: the account has no valid payment method',
      explanation:
        'Bedrock subscribes the account to a third-party model through AWS Marketplace on first use, and ' +
        'Marketplace refuses the subscription because the account has no valid payment instrument.',
      steps: [
        {
          title: 'Add or fix the payment method of the account (or of the organization’s payer account)',
          detail: 'A billing administrator does this in the Billing and Cost Management console → Payment preferences.',
          code: text('https://console.aws.amazon.com/billing/home#/paymentpreferences/paymentmethods'),
        },
        activationStep(ctx, 'Then activate the model once so the subscription is created.'),
      ],
      notes: [SETTLE_NOTE, EULA_NOTE],
      activationCanHelp: false,
    };
  }
  const extra = ctx.facts.actions?.filter((a) => a.startsWith('aws-marketplace:')) ?? [];
  const policyName = 'BedrockMarketplaceSubscribe';
  const steps: RemediationStep[] = [
    activationStep(
      ctx,
      'One activation by an admin fixes it for every role in the account, and callers keep no standing Marketplace rights.',
    ),
    {
      title: `Or grant ${principalLabel(ctx)} the Marketplace rights Bedrock needs (least privilege)`,
      detail:
        'Bedrock calls AWS Marketplace on the caller’s behalf, so the caller needs aws-marketplace:Subscribe, ' +
        'Unsubscribe and ViewSubscriptions on "*". The aws:CalledViaLast condition limits them to calls Bedrock ' +
        `makes for you; drop it only if your own tooling calls Marketplace directly.${serviceRoleDetail(ctx)}`,
      code: bash(attachPolicyCommand(ctx.principal, policyName, marketplacePolicy(extra))),
    },
    {
      title: 'Or create the agreement yourself with the AWS CLI (needs the same Marketplace rights)',
      detail: anthropic
        ? 'Anthropic models need the use-case form once per account before the agreement.'
        : 'List the offers, then accept one; the model becomes available to the whole account.',
      code: bash(agreementCommands(ctx, anthropic)),
    },
  ];
  if (anthropic) {
    steps.push({
      title: 'Anthropic only: the use-case form file used above',
      detail: 'Submitted once per account (or once in the organization’s management account, inherited by members).',
      code: bash(useCaseFormCommand(ctx)),
    });
  }
  const notes = [SETTLE_NOTE + settle, ONCE_PER_ACCOUNT_NOTE, NO_MARKETPLACE_NOTE, EULA_NOTE, ...providerNote(ctx)];
  let explanation =
    `The first call to a third-party model makes Bedrock subscribe your account to it through AWS Marketplace, ` +
    `on the caller’s behalf. The caller (${ctx.facts.principalArn ?? 'the role or user making the call'}) lacks ` +
    'the Marketplace rights (aws-marketplace:Subscribe / ViewSubscriptions), so the subscription failed, and every ' +
    'call fails with AccessDeniedException until someone with those rights activates the model once.';
  let title = `AWS Marketplace subscription for ${ctx.modelName} could not be set up: the caller lacks Marketplace rights`;
  if (ctx.flavour === 'subscription_failed') {
    title = `Your subscription to ${ctx.modelName} could not be established (AWS Marketplace)`;
    explanation +=
      ' This wording comes from the bedrock-mantle (Anthropic SDK / OpenAI-compatible) endpoint, which reports the ' +
      'same Marketplace failure as a 401.';
  }
  if (ctx.flavour === 'agreement_request_denied') {
    title = `AWS Marketplace agreement for ${ctx.modelName} could not be created: aws-marketplace:CreateAgreementRequest denied`;
    explanation +=
      ' Here Marketplace asked for aws-marketplace:CreateAgreementRequest, which the policy below includes. AWS ' +
      'documents some providers (such as OpenAI) as not needing Marketplace, but this has been seen on the ' +
      'OpenAI-compatible endpoint.';
  }
  return { title, explanation, steps, notes, activationCanHelp: true };
}

function useCaseRemedy(ctx: Ctx): Remedy {
  return {
    title: 'Anthropic use-case form not submitted for this account',
    explanation:
      'Anthropic models need a one-time "use case details" form per AWS account before the first call. Until it is ' +
      'submitted (in this account, or in the organization’s management account, which member accounts inherit), ' +
      'every call to an Anthropic model fails with ResourceNotFoundException.',
    steps: [
      activationStep(ctx, 'The admin activation submits the form and creates the agreement in one go.'),
      {
        title: 'Or submit the use-case form yourself',
        detail:
          'In the Bedrock console (Model catalog → any Anthropic model → submit use case details) or with the CLI. ' +
          'intendedUsers is "0" (internal), "1" (external) or "2" (both).',
        code: bash(useCaseFormCommand(ctx)),
      },
      {
        title: 'Then check that the model is available to the account',
        code: bash(
          `aws bedrock get-foundation-model-availability ${ctx.profileOpt}--model-id ${sh(ctx.base)} --region ${sh(ctx.region)}`,
        ),
      },
    ],
    notes: [
      'Access is granted right after the form is accepted, but the error can last a few more minutes (the message says up to 15).',
      'The form covers all commercial regions except opt-in regions, where it must be submitted again.',
      ...(ctx.facts.retryAfterMinutes ? [] : []),
      'If the Marketplace subscription is also missing, the next error will be a Marketplace AccessDeniedException: the admin activation handles both.',
    ],
    activationCanHelp: true,
  };
}

function modelAccessRemedy(ctx: Ctx): Remedy {
  const apiWide = ctx.flavour === 'account_not_authorized_for_api';
  return {
    title: apiWide
      ? 'This account is not allowed to use this Bedrock API (model access not granted)'
      : `No access to ${ctx.modelName} in this account`,
    explanation: apiWide
      ? 'Bedrock refused the call for the whole account, not for your IAM identity. This happens when the model ' +
        'was never activated for the account, when the region does not offer it, or on accounts Bedrock has not ' +
        'been enabled for yet.'
      : 'Bedrock says the account has no access to this model. Model access is now granted automatically on first ' +
        'use, provided the caller can subscribe through AWS Marketplace (and, for Anthropic, the use-case form was ' +
        'submitted); this message means that has not happened yet for this model, or the model is not offered in ' +
        'the region you call.',
    steps: [
      {
        title: 'Check the model’s status for the account in that region',
        code: bash(
          `aws bedrock get-foundation-model-availability ${ctx.profileOpt}--model-id ${sh(ctx.base)} --region ${sh(ctx.region)}`,
        ),
        detail:
          'agreementAvailability NOT_AVAILABLE means the model was never activated; regionAvailability NOT_AVAILABLE means pick another region or an inference profile.',
      },
      activationStep(
        ctx,
        'If it is not activated, one activation by an admin enables it for every role in the account.',
      ),
      {
        title: 'Check that no policy denies this model specifically',
        detail:
          'Organizations restrict models with a Deny of bedrock:* on arn:aws:bedrock:*::foundation-model/<model-id>.',
        code: bash(
          `aws iam simulate-principal-policy --policy-source-arn ${ctx.principal.iamArnExpr} \\\n` +
            `  --action-names bedrock:InvokeModel --resource-arns arn:aws:bedrock:${ctx.facts.region ?? '*'}::foundation-model/${ctx.base}`,
        ),
      },
      ...(apiWide
        ? [
            {
              title: 'If the status is AVAILABLE and it still fails, open an AWS Support case',
              detail: 'An account-level block can only be lifted by AWS.',
            },
          ]
        : []),
    ],
    notes: [SETTLE_NOTE, NO_MARKETPLACE_NOTE],
    activationCanHelp: true,
  };
}

function iamRemedy(ctx: Ctx): Remedy {
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

const DENY_WHERE: Record<string, string> = {
  scp: 'a service control policy (SCP) in AWS Organizations',
  rcp: 'a resource control policy (RCP) in AWS Organizations',
  identity_policy: 'an identity-based policy attached to the caller (or to one of its groups)',
  permissions_boundary: 'the permissions boundary attached to the caller',
  session_policy: 'the session policy passed when these credentials were created',
  resource_policy: 'the resource-based policy of the resource',
  vpc_endpoint_policy: 'the VPC endpoint policy of the Bedrock interface endpoint',
  unnamed_policy: 'a policy (the message does not say which kind)',
};

function explicitDenyRemedy(ctx: Ctx): Remedy {
  const { facts } = ctx;
  const action = facts.actions?.join(', ') ?? 'the action';
  const flavourForPolicy =
    ctx.flavour === 'marketplace' || ctx.flavour === 'global_profile_region' ? denyKindFlavour(facts) : ctx.flavour;
  const where = DENY_WHERE[flavourForPolicy] ?? 'a policy (the message does not say which kind)';
  const implicitGuard = flavourForPolicy === 'session_policy' || flavourForPolicy === 'permissions_boundary';
  const steps: RemediationStep[] = [];
  let title = `Denied by ${where.replace(/ \(.*$/, '')}: ${action}`;
  let explanation = `${facts.principalArn ?? 'The caller'} is blocked from ${action}${facts.resource ? ` on ${facts.resource}` : ''} by ${where}. `;
  explanation += implicitGuard
    ? 'That policy caps what the credentials can do and does not allow this action, so no identity-policy allow can help: the cap itself must change.'
    : 'An explicit deny beats every allow, so adding permissions to the caller will not help; the deny must be changed or the call must avoid it.';

  if (ctx.flavour === 'global_profile_region') {
    title = `Global inference profile blocked by a region restriction: ${action}`;
    explanation =
      `The resource ${facts.resource ?? ''} has an empty region: that is how a global inference profile ` +
      '(global.…) routes to a foundation model anywhere in the world. A policy that restricts regions ' +
      `(usually an SCP with aws:RequestedRegion) denies such region-less ARNs. The denying policy is ${where}.`;
    steps.push(
      {
        title: 'Use a geographic inference profile inside your allowed regions instead of the global one',
        detail: `For example us.${ctx.base}, eu.${ctx.base} or apac.${ctx.base}, called from a region in that geography.`,
        code: bash(
          `aws bedrock list-inference-profiles ${ctx.profileOpt}--region ${sh(ctx.region)} \\\n` +
            `  --query "inferenceProfileSummaries[?contains(inferenceProfileId, '${ctx.base}')].inferenceProfileId"`,
        ),
        recommended: true,
      },
      {
        title: 'Or ask the policy owners to exempt global-profile invocation from the region condition',
        detail:
          'The exemption covers bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on ' +
          `arn:aws:bedrock:::foundation-model/${ctx.base} (and the global profile), not Bedrock as a whole.`,
      },
    );
  }
  if (ctx.flavour === 'marketplace') {
    title = `AWS Marketplace subscription blocked by an explicit deny: ${action}`;
    explanation =
      `Bedrock tried to subscribe the account to ${ctx.modelName} through AWS Marketplace on the caller’s behalf, ` +
      `and ${where} explicitly denies ${action}. Organizations often do this on purpose so that third-party models ` +
      '(and their EULAs) are enabled only after review.';
    steps.push(
      activationStep(
        ctx,
        'Activation by the approved admin role is usually the path such organizations intend; it works when that role is exempt from the deny.',
      ),
    );
  }
  steps.push(...denyInspectionSteps(ctx, flavourForPolicy));
  return {
    title,
    explanation,
    steps,
    notes: [
      'Do not try to work around a guard policy: whoever owns it decides. Give them the action, the resource and the policy ARN from the message.',
      ...(ctx.flavour === 'marketplace' ? [EULA_NOTE, ONCE_PER_ACCOUNT_NOTE] : []),
    ],
    activationCanHelp: ctx.flavour === 'marketplace',
  };
}

function denyKindFlavour(facts: Facts): string {
  switch (facts.deniedBy) {
    case 'service control policy':
      return 'scp';
    case 'resource control policy':
      return 'rcp';
    case 'identity-based policy':
      return 'identity_policy';
    case 'permissions boundary':
      return 'permissions_boundary';
    case 'session policy':
      return 'session_policy';
    case 'resource-based policy':
      return 'resource_policy';
    default:
      return 'unnamed_policy';
  }
}

function denyInspectionSteps(ctx: Ctx, flavour: string): RemediationStep[] {
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

function simulateStep(ctx: Ctx): RemediationStep {
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

function geoFor(region: string | undefined): string | undefined {
  if (!region) return undefined;
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

function inferenceProfileRemedy(ctx: Ctx): Remedy {
  const geo = geoFor(ctx.facts.region);
  const suggestion = geo ? `${geo}.${ctx.base}` : `us.${ctx.base}`;
  const profileFacts: Facts = { ...ctx.facts, modelId: suggestion, baseModelId: ctx.facts.baseModelId };
  return {
    title: `${ctx.modelSubject} must be called through an inference profile`,
    explanation:
      'This model is not offered with on-demand throughput under its bare model id in this region: Bedrock serves ' +
      'it only through an inference profile, which routes requests across the regions of a geography. Use the ' +
      'profile id (us.…, eu.…, apac.…, global.…) or its ARN as the modelId.',
    steps: [
      {
        title: 'Find the inference profile for the model in your region',
        code: bash(
          `aws bedrock list-inference-profiles ${ctx.profileOpt}--region ${sh(ctx.region)} \\\n` +
            `  --query "inferenceProfileSummaries[?contains(inferenceProfileId, '${ctx.base}')].[inferenceProfileId,inferenceProfileArn]" --output table`,
        ),
        recommended: true,
      },
      {
        title: `Use the profile id as the model id, e.g. ${suggestion}`,
        detail: geo
          ? `Your region is in the "${geo}" geography.`
          : 'Pick the prefix of your geography: us., eu., apac. (some models also jp., au., ca.), or global. to route worldwide.',
        code: text(`modelId = "${suggestion}"`),
      },
      {
        title: 'Make sure IAM allows the profile and the foundation model in every destination region',
        detail:
          'A profile call is authorized against both the inference-profile ARN and the foundation-model ARNs it routes to.',
        code: json(invokePolicy(profileFacts)),
      },
    ],
    notes: [
      'global. profiles use region-less foundation-model ARNs; an SCP that restricts regions can deny them, in which case use a geographic profile.',
      ...(ctx.facts.provider === 'anthropic'
        ? ['Anthropic models also need the use-case form and the Marketplace subscription once per account.']
        : []),
    ],
    activationCanHelp: false,
  };
}

function modelLifecycleRemedy(ctx: Ctx): Remedy {
  const provider = ctx.facts.provider;
  const listActive = bash(
    `aws bedrock list-foundation-models ${ctx.profileOpt}--region ${sh(ctx.region)}${provider ? ` --by-provider ${provider}` : ''} \\\n` +
      `  --query "modelSummaries[?modelLifecycle.status=='ACTIVE'].modelId" --output text`,
  );
  if (ctx.flavour === 'legacy' || ctx.flavour === 'end_of_life') {
    const legacy = ctx.flavour === 'legacy';
    const days = ctx.facts.inactivityDays ? ` in the last ${ctx.facts.inactivityDays} days` : ' recently';
    return {
      title: legacy
        ? `${ctx.modelSubject} is a Legacy model this account no longer may use`
        : `${ctx.modelSubject} has reached end of life`,
      explanation: legacy
        ? `The provider marked the model as Legacy. New users cannot use Legacy models, and accounts that have not called it${days} lose access. It will reach end of life later, so move to an active model.`
        : 'The model version has been retired (end of life) and no longer answers any call. Move to an active model.',
      steps: [
        {
          title: 'Pick an active successor model',
          code: listActive,
          recommended: true,
        },
        {
          title: 'Check a model’s lifecycle before switching',
          code: bash(
            `aws bedrock get-foundation-model ${ctx.profileOpt}--model-identifier <new-model-id> --region ${sh(ctx.region)} --query modelDetails.modelLifecycle`,
          ),
        },
        {
          title: 'Update the model id in your code and configuration, then re-test prompts',
          detail: 'Newer models may need an inference profile (us./eu./apac./global. prefix) rather than the bare id.',
        },
      ],
      notes: [
        'Legacy models stay callable for existing active users for at least six months before end of life; the lifecycle dates are in get-foundation-model.',
      ],
      activationCanHelp: false,
    };
  }
  const profile = ctx.facts.modelId && ctx.facts.baseModelId && ctx.facts.modelId !== ctx.facts.baseModelId;
  return {
    title:
      ctx.flavour === 'invalid_identifier'
        ? `Bedrock does not recognise the model id${ctx.facts.modelId ? ` ${ctx.facts.modelId}` : ''} here`
        : ctx.facts.modelId
          ? `Model ${ctx.facts.modelId} not found`
          : 'Model not found',
    explanation:
      'The model id is misspelt, belongs to another region, or is an inference profile called from outside its ' +
      'geography (an eu. profile only works from EU regions). Model ids are case-sensitive and include the ' +
      'version suffix, e.g. anthropic.claude-3-haiku-20240307-v1:0.',
    steps: [
      {
        title: 'List the model ids offered in the region you call',
        code: bash(
          `aws bedrock list-foundation-models ${ctx.profileOpt}--region ${sh(ctx.region)} --query "modelSummaries[].modelId" --output text`,
        ),
        recommended: true,
      },
      {
        title: profile
          ? 'Check the inference profile exists in that region'
          : 'Or use an inference profile if the model is served through one',
        code: bash(
          `aws bedrock list-inference-profiles ${ctx.profileOpt}--region ${sh(ctx.region)} --query "inferenceProfileSummaries[].inferenceProfileId" --output text`,
        ),
      },
      {
        title: 'Check that the client uses the region you expect',
        detail: 'The SDK takes the region from its config, AWS_REGION or the profile; print it next to the model id.',
      },
    ],
    notes: [],
    activationCanHelp: false,
  };
}

function regionRemedy(ctx: Ctx): Remedy {
  const host = ctx.clues.unreachableHost;
  return {
    title: `${ctx.facts.modelId ? ctx.modelName : 'Bedrock'} is not available in ${ctx.facts.region ?? 'this region'}`,
    explanation: host
      ? `The client could not reach ${host}. The name is well formed, so Bedrock (or this Bedrock API) most likely has no endpoint in ${ctx.region}.`
      : 'The service or the model is not offered in the region the client calls.',
    steps: [
      {
        title: 'Call Bedrock in a region that offers the model',
        detail:
          'Set the region in the client (region_name / region) or AWS_REGION; cross-region inference profiles can serve a model from nearby regions.',
        code: bash(
          `aws bedrock list-foundation-models ${ctx.profileOpt}--region us-east-1 --query "modelSummaries[?modelId=='${ctx.base}'].modelId"`,
        ),
        recommended: true,
      },
      {
        title: 'Check the model card for its regions',
        code: text('https://docs.aws.amazon.com/bedrock/latest/userguide/models-regions.html'),
      },
    ],
    notes: ['Opt-in regions must be enabled for the account before any service answers there.'],
    activationCanHelp: false,
  };
}

const CLIENT_TEXT: Record<string, { title: string; explanation: string; steps: RemediationStep[] }> = {
  control_plane_call_on_runtime: {
    title: 'A control-plane call was sent to the Bedrock runtime endpoint',
    explanation:
      'Model catalogue and account calls (ListFoundationModels, ListCustomModels, GetFoundationModel, agreements) ' +
      'live on the "bedrock" endpoint; the "bedrock-runtime" endpoint only serves InvokeModel and Converse.',
    steps: [],
  },
  runtime_call_on_control_plane: {
    title: 'A runtime call was sent to the Bedrock control-plane endpoint',
    explanation: 'InvokeModel and Converse live on bedrock-runtime.<region>.amazonaws.com, not bedrock.<region>.',
    steps: [],
  },
  wrong_endpoint: {
    title: 'The operation was sent to an endpoint that does not know it',
    explanation:
      'Bedrock has four clients: "bedrock" (catalogue, agreements, custom models), "bedrock-runtime" (InvokeModel, ' +
      'Converse), "bedrock-agent" (build agents and knowledge bases) and "bedrock-agent-runtime" (InvokeAgent, ' +
      'Retrieve). "Operation unknown" means the call went to the wrong one, often through a hard-coded endpoint URL.',
    steps: [],
  },
  wrong_client: {
    title: 'The method does not exist on this Bedrock client',
    explanation:
      'Each Bedrock client has its own methods: invoke_model/converse are on "bedrock-runtime", ' +
      'list_foundation_models on "bedrock", invoke_agent/retrieve on "bedrock-agent-runtime".',
    steps: [],
  },
  sdk_outdated: {
    title: 'The SDK does not know this Bedrock service: upgrade it',
    explanation: 'Old boto3/botocore or AWS CLI versions predate the Bedrock services and operations.',
    steps: [{ title: 'Upgrade the SDK', code: bash('python -m pip install --upgrade boto3 botocore awscli') }],
  },
  region_missing: {
    title: 'No region configured for the Bedrock client',
    explanation: 'The SDK could not find a region in code, environment or profile.',
    steps: [
      { title: 'Set the region', code: bash('export AWS_REGION=<region>   # or region_name="<region>" in code') },
    ],
  },
  signing_region: {
    title: 'The request was signed for a different region or service than the endpoint',
    explanation: 'A custom endpoint URL and the configured region disagree, so the signature is scoped wrongly.',
    steps: [
      {
        title: 'Use the same region for the endpoint and the client',
        detail: 'Remove custom endpoint_url settings unless you need a VPC endpoint.',
      },
    ],
  },
  invalid_request: {
    title: 'Bedrock rejected the request body or parameters',
    explanation:
      'The call reached Bedrock but its parameters do not match what the model or API accepts (a wrong body ' +
      'format for the model family, an unknown key, or too long an input). This is not an access problem.',
    steps: [
      {
        title: 'Compare the request with the model’s documented request format',
        detail: 'Converse offers one format for all models; InvokeModel bodies differ per provider.',
        code: text('https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters.html'),
      },
    ],
  },
  control_plane_internal_error: {
    title: 'A control-plane call failed inside Bedrock (check the endpoint and region)',
    explanation:
      'The catalogue call failed with InternalServerException. When it keeps failing, the usual cause is a client ' +
      'pointed at the wrong endpoint (for example a runtime or custom endpoint_url for a control-plane call) or a ' +
      'region without that API; genuine server errors clear on retry.',
    steps: [{ title: 'Retry once with backoff; if it persists, open an AWS Support case with the request id' }],
  },
  endpoint_unreachable: {
    title: 'The client could not connect to the Bedrock endpoint',
    explanation:
      'The endpoint name is valid but the connection failed: a proxy, firewall, missing VPC endpoint or DNS ' +
      'setting blocks it, or a custom endpoint URL points to the wrong place.',
    steps: [
      {
        title: 'Test the connection from the same machine',
        code: bash('curl -sS -o /dev/null -w "%{http_code}\\n" https://<endpoint-host>/'),
      },
      { title: 'Check HTTPS_PROXY / NO_PROXY, security groups and the VPC endpoint for bedrock-runtime' },
    ],
  },
  bad_endpoint: {
    title: 'The Bedrock endpoint URL is malformed',
    explanation: 'The host name is not a valid Bedrock endpoint (typo in the region or service name).',
    steps: [],
  },
};

function clientRemedy(ctx: Ctx): Remedy {
  const entry = CLIENT_TEXT[ctx.flavour] ?? CLIENT_TEXT.wrong_endpoint ?? { title: '', explanation: '', steps: [] };
  const region = ctx.region;
  const clientSteps: RemediationStep[] = [
    {
      title: 'Use the client that serves the operation, with no hard-coded endpoint',
      code: text(
        `import boto3\n` +
          `control = boto3.client("bedrock", region_name="${region}")          # list_foundation_models, agreements\n` +
          `runtime = boto3.client("bedrock-runtime", region_name="${region}")  # invoke_model, converse\n` +
          `agents = boto3.client("bedrock-agent-runtime", region_name="${region}")  # invoke_agent, retrieve`,
      ),
      recommended: true,
    },
  ];
  const hostStep: RemediationStep[] =
    ctx.flavour === 'bad_endpoint' || ctx.flavour === 'endpoint_unreachable'
      ? [
          {
            title: 'Use the standard endpoint for the region',
            detail: `bedrock-runtime.${region}.amazonaws.com for invocation, bedrock.${region}.amazonaws.com for the catalogue. Check AWS_ENDPOINT_URL* variables and endpoint_url settings.`,
          },
        ]
      : [];
  const steps =
    entry.steps.length > 0 ? [...entry.steps.map((s) => fill(s, ctx)), ...hostStep] : [...hostStep, ...clientSteps];
  if (
    [
      'wrong_endpoint',
      'control_plane_call_on_runtime',
      'runtime_call_on_control_plane',
      'wrong_client',
      'control_plane_internal_error',
    ].includes(ctx.flavour) &&
    entry.steps.length > 0
  ) {
    steps.push(...clientSteps);
  }
  return {
    title: entry.title,
    explanation: entry.explanation,
    steps,
    notes: ctx.clues.endpointHost ? [`Endpoint seen in the message: ${ctx.clues.endpointHost}.`] : [],
    activationCanHelp: false,
  };
}

function fill(step: RemediationStep, ctx: Ctx): RemediationStep {
  if (!step.code) return step;
  const host = ctx.clues.unreachableHost ?? ctx.clues.endpointHost ?? `bedrock-runtime.${ctx.region}.amazonaws.com`;
  return {
    ...step,
    code: {
      ...step.code,
      content: step.code.content.replaceAll('<endpoint-host>', host).replaceAll('<region>', ctx.region),
    },
  };
}

function credentialsRemedy(ctx: Ctx): Remedy {
  const profile = ctx.clues.profileName;
  const p = ctx.profileOpt;
  const check = { title: 'Confirm the credentials work', code: bash(`aws sts get-caller-identity ${p}`.trimEnd()) };
  const byFlavour: Record<string, { title: string; explanation: string; steps: RemediationStep[] }> = {
    token_expired: {
      title: 'AWS credentials expired',
      explanation:
        'The temporary credentials (session token) used for the call have expired. Nothing is wrong with permissions; refresh the credentials.',
      steps: [
        {
          title: 'Refresh the session',
          detail:
            'SSO: aws sso login. Assumed role: assume it again. Long-running apps should use the SDK’s refreshing credential providers, not copied keys.',
          code: bash(`aws sso login ${p}`.trimEnd()),
          recommended: true,
        },
        check,
      ],
    },
    sso_session_expired: {
      title: 'IAM Identity Center (SSO) session expired or missing',
      explanation: 'The SSO token cached by the AWS CLI/SDK is expired or was never created for this profile.',
      steps: [{ title: 'Log in again', code: bash(`aws sso login ${p}`.trimEnd()), recommended: true }, check],
    },
    token_invalid: {
      title: 'AWS rejected the credentials (invalid access key or security token)',
      explanation:
        'The access key is unknown to AWS, or a session token is missing, stale or from another partition. Common ' +
        'causes: old AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN variables overriding the profile, ' +
        'temporary keys used without their session token, or a region not enabled for the account.',
      steps: [
        {
          title: 'Look for stale credentials in the environment',
          code: bash(
            'env | grep -E "^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)=" | cut -d= -f1\naws configure list',
          ),
          recommended: true,
        },
        {
          title: 'Refresh them (SSO login, re-assume the role, or rotate the access key)',
          code: bash(`aws sso login ${p}`.trimEnd()),
        },
        check,
      ],
    },
    signature_mismatch: {
      title: 'Request signature does not match (wrong secret key or altered request)',
      explanation:
        'The secret access key does not belong to the access key id, or something (a proxy, a custom endpoint) changed the signed request.',
      steps: [{ title: 'Re-enter or rotate the access key pair, then retry', code: bash('aws configure list') }, check],
    },
    clock_skew: {
      title: 'Request signature expired: the machine clock is off',
      explanation:
        'SigV4 signatures are valid for a few minutes; a client clock that is wrong by more than that makes every request fail.',
      steps: [
        {
          title: 'Sync the system clock (NTP) and retry',
          code: bash('date -u   # compare with the real UTC time'),
          recommended: true,
        },
      ],
    },
    profile_not_found: {
      title: `AWS profile ${profile ? `"${profile}" ` : ''}not found`,
      explanation:
        'The code or AWS_PROFILE names a profile that is not in ~/.aws/config or ~/.aws/credentials on this machine.',
      steps: [
        { title: 'List the profiles that exist', code: bash('aws configure list-profiles'), recommended: true },
        {
          title: 'Create the profile or fix the name',
          code: bash(`aws configure sso${profile ? ` --profile ${sh(profile)}` : ''}`),
        },
      ],
    },
    not_found: {
      title: 'No AWS credentials found',
      explanation:
        'The SDK looked in the environment, the shared config files, SSO and the instance/container role and found nothing.',
      steps: [
        {
          title: 'Configure credentials (SSO recommended)',
          code: bash('aws configure sso\nexport AWS_PROFILE=<profile>'),
          recommended: true,
        },
        check,
      ],
    },
    api_key_invalid: {
      title: 'The Bedrock API key is invalid or expired',
      explanation:
        'Calls authenticated with a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) fail when the key is expired, revoked or mistyped.',
      steps: [
        {
          title: 'Generate a new API key in the Bedrock console and update AWS_BEARER_TOKEN_BEDROCK',
          recommended: true,
        },
      ],
    },
  };
  const entry = byFlavour[ctx.flavour] ?? byFlavour.token_invalid;
  return {
    title: entry?.title ?? 'AWS credentials problem',
    explanation: entry?.explanation ?? 'AWS did not accept the credentials.',
    steps: entry?.steps ?? [check],
    notes: ['Never paste access keys or session tokens into chat; this explanation only needs the error text.'],
    activationCanHelp: false,
  };
}

function throttlingRemedy(ctx: Ctx): Remedy {
  const r = sh(ctx.region);
  const quotas = bash(
    `aws service-quotas list-service-quotas ${ctx.profileOpt}--service-code bedrock --region ${r} \\\n` +
      `  --query "Quotas[?contains(QuotaName, '<model name>')].[QuotaName,QuotaCode,Value]" --output table`,
  );
  const titles: Record<string, string> = {
    tokens_per_day: 'Daily token quota for the model used up',
    tokens: 'Tokens-per-minute quota exceeded',
    requests: 'Requests-per-minute limit exceeded (throttled)',
    service_quota: 'Service quota exceeded',
    model_not_ready: 'The model is not ready to serve yet',
    service_unavailable: 'Bedrock is temporarily unable to serve the request',
  };
  const retryStep: RemediationStep = {
    title: 'Retry with exponential backoff (adaptive retry mode)',
    code: text(
      'from botocore.config import Config\nclient = boto3.client("bedrock-runtime", config=Config(retries={"max_attempts": 10, "mode": "adaptive"}))',
    ),
    recommended: ctx.flavour !== 'tokens_per_day',
  };
  const steps: RemediationStep[] =
    ctx.flavour === 'model_not_ready' || ctx.flavour === 'service_unavailable'
      ? [retryStep]
      : [
          retryStep,
          {
            title: 'Check the quotas for the model in this region',
            code: quotas,
            recommended: ctx.flavour === 'tokens_per_day',
          },
          {
            title: 'Request a quota increase (use the QuotaCode from above)',
            code: bash(
              `aws service-quotas request-service-quota-increase ${ctx.profileOpt}--service-code bedrock --quota-code <quota-code> --desired-value <value> --region ${r}`,
            ),
          },
          {
            title: 'Spread load with a cross-region inference profile',
            detail:
              'Profiles (us./eu./apac./global.) draw on the capacity of several regions and often have higher quotas.',
          },
        ];
  return {
    title: titles[ctx.flavour] ?? 'Throttled by Bedrock',
    explanation:
      ctx.flavour === 'tokens_per_day'
        ? 'The account used its daily token allowance for this model in this region; calls fail until the quota window resets or the quota is raised.'
        : ctx.flavour === 'model_not_ready'
          ? 'The model is being loaded or scaled; the SDK already retries this error. Wait a moment and retry.'
          : 'Bedrock limits requests and tokens per minute per model and region. Access is fine: the call was refused because of its rate, not its permissions.',
    steps,
    notes: ['New accounts start with low Bedrock quotas; AWS raises them on request.'],
    activationCanHelp: false,
  };
}

function accountRestrictedRemedy(ctx: Ctx): Remedy {
  return {
    title: 'The AWS account is restricted from this Bedrock operation',
    explanation:
      'Bedrock refused the operation for the whole account, whatever the IAM permissions. This is typical for new ' +
      'accounts, accounts under review, or operations that AWS enables per account; only AWS Support can lift it.',
    steps: [
      {
        title: 'Open an AWS Support case (Account and billing, or Service limit increase → Bedrock)',
        detail: `Include the account id${ctx.facts.accountId ? ` ${ctx.facts.accountId}` : ''}, the region${ctx.facts.region ? ` ${ctx.facts.region}` : ''}, the operation${ctx.facts.operation ? ` ${ctx.facts.operation}` : ''} and the full message.`,
        code: text('https://console.aws.amazon.com/support/home#/case/create'),
        recommended: true,
      },
      whoAmIStep(ctx),
      {
        title: 'Meanwhile, try the same call from another established account or region',
        detail: 'If it works there, the restriction is specific to this account.',
      },
    ],
    notes: [],
    activationCanHelp: false,
  };
}

function unknownRemedy(ctx: Ctx): Remedy {
  if (ctx.flavour === 'model_timeout' || ctx.flavour === 'model_error') return modelFailureRemedy(ctx);
  const accessDenied = ctx.flavour === 'access_denied_without_detail';
  const agent = ctx.facts.surface === 'agent' || /agent/i.test(ctx.facts.operation ?? '');
  const steps: RemediationStep[] = [whoAmIStep(ctx)];
  if (accessDenied) {
    steps.push(
      {
        title: 'Read the full error in CloudTrail',
        detail: 'CloudTrail keeps the complete errorMessage, which names the action, the resource and the policy type.',
        code: bash(
          `aws cloudtrail lookup-events ${ctx.profileOpt}--region ${sh(ctx.region)} --max-results 5 \\\n` +
            `  --lookup-attributes AttributeKey=EventName,AttributeValue=${ctx.facts.operation ?? 'InvokeModel'}`,
        ),
        recommended: true,
      },
      {
        title: 'Check the model is activated for the account',
        code: bash(
          `aws bedrock get-foundation-model-availability ${ctx.profileOpt}--model-id ${sh(ctx.base)} --region ${sh(ctx.region)}`,
        ),
      },
    );
    if (agent) {
      steps.push({
        title: 'For agents: check the agent’s service role may invoke its model',
        detail:
          'The agent calls the model with its own service role (AmazonBedrockExecutionRoleForAgents_…), which needs ' +
          'bedrock:InvokeModel on the foundation model and, for a profile, on the inference profile too.',
      });
    }
  } else {
    steps.push({
      title: 'Paste the complete error, including the exception name and the "when calling the … operation" part',
    });
  }
  return {
    title: accessDenied ? 'Access denied, but the message does not say why' : 'Not a recognised Bedrock access error',
    explanation: accessDenied
      ? 'The text says access was denied without naming the action, policy or model state. Likely causes, in order: ' +
        'a missing IAM permission, a model not activated for the account (Marketplace subscription or Anthropic ' +
        'use-case form), or a guard policy (SCP, permissions boundary).'
      : 'The text does not match a known Bedrock error. The steps below collect what is needed to tell.',
    steps,
    notes: [],
    activationCanHelp: false,
  };
}

/** ModelTimeoutException / ModelErrorException: access worked, the model did not answer properly. */
function modelFailureRemedy(ctx: Ctx): Remedy {
  const timeout = ctx.flavour === 'model_timeout';
  return {
    title: timeout ? 'The model took too long to answer' : 'The model returned an error while processing the request',
    explanation:
      (timeout
        ? `Bedrock reached ${ctx.modelName} but it did not finish in time (ModelTimeoutException). `
        : `Bedrock reached ${ctx.modelName} but the model failed on this request (ModelErrorException). `) +
      'Access and permissions are fine: the call was authorised and the model is active.',
    steps: [
      {
        title: 'Retry with exponential backoff',
        detail: 'These failures are usually transient; the SDKs retry them when retries are enabled.',
        recommended: true,
      },
      timeout
        ? {
            title: 'Ask for less at once',
            detail:
              'Lower max tokens, shorten the input, or stream the answer (ConverseStream / ' +
              'InvokeModelWithResponseStream) so long generations are not cut off by the timeout.',
          }
        : {
            title: 'Check the request body against the model’s format',
            detail: 'A body the model cannot handle (wrong fields for this provider, oversized images) fails this way.',
          },
    ],
    notes: [],
    activationCanHelp: false,
  };
}
