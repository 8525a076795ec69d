// Throttling and quotas: retry with backoff, then look at (and raise) the quota.
import { sh } from '../iam-policies.js';
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext, text } from './context.js';

export function throttlingRemedy(ctx: RemedyContext): Remedy {
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
