// Steps and notes more than one category family gives: the admin activation, the agreement and use-case form
// commands, and how the caller is named.
import { sh } from '../iam-policies.js';
import { NO_MARKETPLACE_PROVIDER_NAMES } from '../providers.js';
import type { RemediationStep } from '../types.js';
import { bash, type RemedyContext } from './context.js';

export const SETTLE_NOTE =
  'After the fix (new permissions or a created agreement) it can take up to ~2 minutes for the subscription to ' +
  'settle; AccessDeniedException may continue during that window, so wait before retrying.';

export const NO_MARKETPLACE_NOTE = `${NO_MARKETPLACE_PROVIDER_NAMES.join(', ').replace(/, ([^,]*)$/, ' and $1')} models are not sold through AWS Marketplace and need no Marketplace rights.`;

export const EULA_NOTE =
  "The first call to a third-party model accepts the provider's EULA for the whole account. Organizations that " +
  'review EULAs first block models with an SCP or IAM deny; an explicit deny overrides any allow added here, so ' +
  'ask whoever owns those policies before working around them.';

export const ONCE_PER_ACCOUNT_NOTE =
  'Marketplace rights are needed only once per account: after the model is activated, every role in the account ' +
  'can invoke it (in every region that offers it) without them.';

export function activationStep(ctx: RemedyContext, why: string): RemediationStep {
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

export function useCaseFormCommand(ctx: RemedyContext): string {
  return (
    `cat > use-case.json <<'EOF'\n` +
    `{"companyName":"<company>","companyWebsite":"https://<company-site>","intendedUsers":"0",` +
    `"industryOption":"<industry>","otherIndustryOption":"","useCases":"<what you will use the model for>"}\n` +
    `EOF\n` +
    `aws bedrock put-use-case-for-model-access ${ctx.profileOpt}--form-data fileb://use-case.json --region ${sh(ctx.region)}`
  );
}

export function agreementCommands(ctx: RemedyContext, withUseCase: boolean): string {
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

export function principalLabel(ctx: RemedyContext): string {
  if (ctx.principal.kind === 'unknown') return 'the calling role or user';
  return `${ctx.principal.kind} ${ctx.principal.name}`;
}

export function serviceRoleDetail(ctx: RemedyContext): string {
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

export function whoAmIStep(ctx: RemedyContext): RemediationStep {
  return {
    title: 'Check which identity and account the failing code really uses',
    detail: 'Run it with the same environment, profile and region as the failing code.',
    code: bash(`aws sts get-caller-identity ${ctx.profileOpt}`.trimEnd()),
  };
}
