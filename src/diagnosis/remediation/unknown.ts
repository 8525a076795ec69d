// Text that is not a recognised access error: what to collect next, and model failures that are not access problems.
import { sh } from '../iam-policies.js';
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext } from './context.js';
import { whoAmIStep } from './shared.js';

export function unknownRemedy(ctx: RemedyContext): Remedy {
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
    steps.push({
      title: 'Or paste the complete error: the exception name, the operation and the text after "not authorized"',
      detail: 'SDKs and tools often shorten the message; the full one names the action, the resource and the policy.',
    });
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
function modelFailureRemedy(ctx: RemedyContext): Remedy {
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
