// The whole account is restricted from the operation: only AWS Support can lift it.
import { type Remedy, type RemedyContext, text } from './context.js';
import { whoAmIStep } from './shared.js';

export function accountRestrictedRemedy(ctx: RemedyContext): Remedy {
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
