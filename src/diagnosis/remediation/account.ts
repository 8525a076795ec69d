// The whole account is restricted from the operation or the model: IAM cannot change it; AWS (Support, Sales) or the
// model provider's terms decide.
import type { RemediationStep } from '../types.js';
import { type Remedy, type RemedyContext, text } from './context.js';
import { whoAmIStep } from './shared.js';

const SUPPORT_CASE = text('https://console.aws.amazon.com/support/home#/case/create');

export function accountRestrictedRemedy(ctx: RemedyContext): Remedy {
  if (ctx.flavour === 'unsupported_country') return unsupportedCountryRemedy(ctx);
  if (ctx.flavour === 'model_not_offered') return modelNotOfferedRemedy(ctx);
  return {
    title: 'The AWS account is restricted from this Bedrock operation',
    explanation:
      'Bedrock refused the operation for the whole account, whatever the IAM permissions. This is typical for new ' +
      'accounts, accounts under review, or operations that AWS enables per account; only AWS Support can lift it.',
    steps: [
      {
        title: 'Open an AWS Support case (Account and billing, or Service limit increase → Bedrock)',
        detail: `Include ${accountDetails(ctx)} and the full message.`,
        code: SUPPORT_CASE,
        recommended: true,
      },
      whoAmIStep(ctx),
      tryElsewhereStep,
    ],
    notes: [],
    activationCanHelp: false,
  };
}

const tryElsewhereStep: RemediationStep = {
  title: 'Meanwhile, try the same call from another established account or region',
  detail: 'If it works there, the restriction is specific to this account.',
};

function accountDetails(ctx: RemedyContext): string {
  const { accountId, region, operation } = ctx.facts;
  return `the account id${accountId ? ` ${accountId}` : ''}, the region${region ? ` ${region}` : ''}, the operation${operation ? ` ${operation}` : ''}`;
}

function modelNotOfferedRemedy(ctx: RemedyContext): Remedy {
  return {
    title: `${ctx.facts.modelId ? ctx.modelSubject : 'This model'} is not offered to this AWS account`,
    explanation:
      'AWS does not make this model available to the account at all (the message points to AWS Sales). No IAM ' +
      'policy, activation or use-case form changes that: access is granted by AWS per account.',
    steps: [
      {
        title: 'Ask AWS Sales (or your account team) for access to the model',
        detail: `Include ${accountDetails(ctx)} and the model named in the message.`,
        code: text('https://aws.amazon.com/contact-us/sales-support/'),
        recommended: true,
      },
      {
        title: 'Meanwhile, use a model the account is offered',
        code: {
          language: 'bash',
          content: `aws bedrock list-foundation-models ${ctx.profileOpt}--region ${ctx.region} --query "modelSummaries[].modelId"`,
        },
      },
    ],
    notes: [],
    activationCanHelp: false,
  };
}

function unsupportedCountryRemedy(ctx: RemedyContext): Remedy {
  return {
    title: 'The model provider does not serve the country the call comes from',
    explanation:
      'The provider (Anthropic, for its models) refuses calls from countries, regions or territories it does not ' +
      'support, judged from the account and where the request comes from. IAM, activation and the Bedrock region ' +
      'do not change it. Knowledge-base syncs and agents fail the same way when their model is such a model.',
    steps: [
      {
        title: 'Check the provider’s list of supported countries',
        code: text('https://www.anthropic.com/supported-countries'),
        recommended: true,
      },
      {
        title: 'Use a model from another provider for this workload',
        detail: 'Amazon Nova, Meta Llama, Mistral and others have no such restriction.',
      },
      whoAmIStep(ctx),
    ],
    notes: [],
    activationCanHelp: false,
  };
}
