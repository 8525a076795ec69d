// The model id is not callable as written: it needs an inference profile, is Legacy or end of life, or is unknown.
import { invokePolicy, sh } from '../iam-policies.js';
import type { Facts } from '../types.js';
import { bash, json, type Remedy, type RemedyContext, text } from './context.js';

function geoFor(region: string | undefined): string | undefined {
  if (!region) return undefined;
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

export function inferenceProfileRemedy(ctx: RemedyContext): Remedy {
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

export function modelLifecycleRemedy(ctx: RemedyContext): Remedy {
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
