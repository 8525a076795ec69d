// Bedrock or the model is not offered in the region the client calls.
import { bash, type Remedy, type RemedyContext, text } from './context.js';

export function regionRemedy(ctx: RemedyContext): Remedy {
  if (ctx.flavour === 'resource_type_not_in_region') return resourceTypeRemedy(ctx);
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

/** CloudFormation does not know the Bedrock resource types in this region (the feature is not offered there yet). */
function resourceTypeRemedy(ctx: RemedyContext): Remedy {
  const types = ctx.clues.resourceTypes ?? [];
  const named = types.length > 0 ? types.join(', ') : 'the AWS::Bedrock:: resource types';
  const first = types[0] ?? 'AWS::Bedrock::<Resource>';
  return {
    title: `CloudFormation does not offer ${named} in ${ctx.facts.region ?? 'this region'}`,
    explanation:
      `The template (or the CDK app) uses ${named}, which CloudFormation does not recognise in the region it ` +
      'deploys to: that Bedrock feature is not offered there (or not yet through CloudFormation). The template ' +
      'itself may be fine.',
    steps: [
      {
        title: 'Check which regions know the resource type',
        code: bash(
          `aws cloudformation describe-type ${ctx.profileOpt}--type RESOURCE --type-name ${first} --region ${ctx.region}`,
        ),
        recommended: true,
      },
      {
        title: 'Deploy the stack to a region that offers the feature, or keep that resource in a separate stack there',
        code: text('https://docs.aws.amazon.com/bedrock/latest/userguide/bedrock-regions.html'),
      },
    ],
    notes: [],
    activationCanHelp: false,
  };
}
