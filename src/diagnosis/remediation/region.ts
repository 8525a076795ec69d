// Bedrock or the model is not offered in the region the client calls.
import { bash, type Remedy, type RemedyContext, text } from './context.js';

export function regionRemedy(ctx: RemedyContext): Remedy {
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
