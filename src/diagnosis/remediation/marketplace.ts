// The categories one admin activation fixes: the Marketplace subscription, the Anthropic use-case form, and model
// access not granted to the account.
import { attachPolicyCommand, marketplacePolicy, sh } from '../iam-policies.js';
import { providerOf } from '../providers.js';
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext, text } from './context.js';
import {
  activationStep,
  agreementCommands,
  EULA_NOTE,
  NO_MARKETPLACE_NOTE,
  ONCE_PER_ACCOUNT_NOTE,
  principalLabel,
  SETTLE_NOTE,
  serviceRoleDetail,
  useCaseFormCommand,
} from './shared.js';

function providerNote(ctx: RemedyContext): string[] {
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

export function marketplaceRemedy(ctx: RemedyContext): Remedy {
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

export function useCaseRemedy(ctx: RemedyContext): Remedy {
  const wait = ctx.facts.retryAfterMinutes;
  const waitNote = wait
    ? `If the form was submitted less than ${wait} minutes ago, wait: AWS says to try again in ${wait} minutes, and the error lasts until then.`
    : 'Access is granted right after the form is accepted, but the error can last a few more minutes (the message says up to 15).';
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
      waitNote,
      'The form covers all commercial regions except opt-in regions, where it must be submitted again.',
      'If the Marketplace subscription is also missing, the next error will be a Marketplace AccessDeniedException: the admin activation handles both.',
    ],
    activationCanHelp: true,
  };
}

export function modelAccessRemedy(ctx: RemedyContext): Remedy {
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
