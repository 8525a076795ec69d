// Pure: what AWS answered in one region → a verdict; a verdict → plain words. No I/O here.

import type { AwsCallError } from './aws-call-error.js';
import type { FoundationModelInfo, InferenceProfileInfo, ModelAvailability } from './ports.js';
import type { Verdict } from './status-report.js';

/** Each call's outcome in one region: a value, an error, or not asked. */
export interface RegionFacts {
  region: string;
  model?: FoundationModelInfo;
  modelError?: AwsCallError;
  availability?: ModelAvailability;
  availabilityError?: AwsCallError;
  profile?: InferenceProfileInfo;
  profileError?: AwsCallError;
  useCaseOnFile?: boolean;
}

export interface ModelTraits {
  /** Sold through AWS Marketplace: false for first-party providers, undefined when unknown. */
  marketplace: boolean | undefined;
  useCaseForm: boolean;
}

/** `undefined` verdict = the model isn't here; the caller decides NOT_FOUND vs NOT_IN_REGION across regions. */
export function regionVerdict(f: RegionFacts, traits: ModelTraits): Verdict | undefined {
  const missing = (e?: AwsCallError) => e?.kind === 'not-found' || e?.kind === 'validation';
  if (missing(f.profileError)) return undefined;
  // Availability knows models that exist elsewhere, where GetFoundationModel only says "not found".
  if (f.availability?.regionAvailability === 'NOT_AVAILABLE') return 'NOT_IN_REGION';
  if (missing(f.modelError)) return undefined;
  if (f.model?.lifecycle === 'LEGACY') return 'LEGACY';
  if (traits.marketplace === false) return 'NO_ACTIVATION_NEEDED';
  const a = f.availability;
  if (!a) return missing(f.availabilityError) ? undefined : 'CHECK_FAILED';
  switch (a.agreementStatus) {
    case 'AVAILABLE':
      return 'READY';
    case 'PENDING':
      return 'ACTIVATION_PENDING';
    case 'ERROR':
      return 'ACTIVATION_FAILED';
    default:
      return traits.useCaseForm && f.useCaseOnFile === false ? 'NEEDS_USE_CASE_FORM' : 'NEEDS_ACTIVATION';
  }
}

/** Most actionable first: the overall verdict is the first of these that any region has. */
const PRIORITY: Verdict[] = [
  'ACTIVATION_FAILED',
  'NEEDS_USE_CASE_FORM',
  'NEEDS_ACTIVATION',
  'ACTIVATION_PENDING',
  'LEGACY',
  'CHECK_FAILED',
  'NOT_IN_REGION',
  'NOT_FOUND',
  'READY',
  'NO_ACTIVATION_NEEDED',
];

export function overallVerdict(verdicts: Verdict[]): Verdict {
  return PRIORITY.find((v) => verdicts.includes(v)) ?? 'CHECK_FAILED';
}

export interface WordsContext {
  model: string;
  account: string;
  regions: string[];
  agreementError?: string;
  suggestions: string[];
  missingPermissions: string[];
  profileHint?: string;
  problem?: string;
  providerName?: string;
}

export function describeVerdict(
  verdict: Verdict,
  c: WordsContext,
): { title: string; explanation: string; nextStep: string } {
  const where = `${c.account} / ${c.regions.join(', ')}`;
  const useProfile = c.profileHint
    ? ` Call it through the inference profile ${c.profileHint}, not the bare model id.`
    : '';
  switch (verdict) {
    case 'READY':
      return {
        title: `${c.model} is activated in ${where}`,
        explanation: `The account's agreement for this model is in place, so any role with bedrock:InvokeModel can call it.${useProfile}`,
        nextStep: `If calls still fail, check the caller's IAM policy for bedrock:InvokeModel on this model (and any SCP), or paste the error into "bedrock-doctor why".${useProfile}`,
      };
    case 'NO_ACTIVATION_NEEDED':
      return {
        title: `${c.model} needs no activation`,
        explanation: `${c.providerName ?? 'This provider'}'s models are not sold through AWS Marketplace, so there is no agreement to accept; access is controlled only by IAM.${useProfile}`,
        nextStep: `If calls fail, the caller's IAM policy or an SCP is denying bedrock:InvokeModel; paste the error into "bedrock-doctor why".${useProfile}`,
      };
    case 'NEEDS_ACTIVATION':
      return {
        title: `${c.model} is not activated in ${c.account}`,
        explanation:
          'The account has no AWS Marketplace agreement for this model yet. The first call would try to subscribe, which fails for callers without aws-marketplace:Subscribe.',
        nextStep: `Request activation: an approver's admin role accepts the offer once for the whole account ("bedrock-doctor activate ${c.model}").${useProfile}`,
      };
    case 'NEEDS_USE_CASE_FORM':
      return {
        title: `${c.model} needs the Anthropic use-case form first`,
        explanation:
          'Anthropic models need a one-time use-case form per account (or at the organisation management account), and none is on file here.',
        nextStep: `Request activation: it submits your organisation's vetted form, then accepts the offer ("bedrock-doctor activate ${c.model}").`,
      };
    case 'ACTIVATION_PENDING':
      return {
        title: `Activation of ${c.model} is in progress`,
        explanation:
          'The agreement has been requested and AWS is setting up the subscription. This usually takes about 2 minutes and can take up to 15; calls may fail with AccessDeniedException until it settles.',
        nextStep: 'Wait a few minutes and check again. Nothing else is needed.',
      };
    case 'ACTIVATION_FAILED':
      return {
        title: `Activation of ${c.model} failed`,
        explanation: `AWS reports the agreement failed: "${c.agreementError ?? 'no reason given'}".`,
        nextStep:
          'Fix what AWS names (often the payment method, the Marketplace permissions of the role that activated it, or the Anthropic use-case form), then request activation again.',
      };
    case 'NOT_IN_REGION':
      return {
        title: `${c.model} is not offered in ${c.regions.join(', ')}`,
        explanation: 'Bedrock does not serve this model (or this inference profile) in the region checked.',
        nextStep: 'Use a region where the model is offered, or a cross-region inference profile that includes it.',
      };
    case 'LEGACY':
      return {
        title: `${c.model} is a legacy model`,
        explanation:
          'The provider has marked this model Legacy: new accounts cannot start using it, and accounts that have not used it recently lose access. It will reach end of life.',
        nextStep: 'Move to the current version of the model; activation will not help here.',
      };
    case 'NOT_FOUND':
      return {
        title: `No model ${c.model} in ${c.regions.join(', ')}`,
        explanation: 'Bedrock does not know this model id here. It may be misspelt or from another provider namespace.',
        nextStep: c.suggestions.length
          ? `Did you mean ${c.suggestions.join(', ')}?`
          : 'List the models with "aws bedrock list-foundation-models" and check the id.',
      };
    case 'CHECK_FAILED':
      return {
        title: `Could not check ${c.model}`,
        explanation: c.missingPermissions.length
          ? `The bot itself is missing ${c.missingPermissions.join(', ')}, so it cannot read the model's status.`
          : `The bot could not read the model's status: ${c.problem ?? 'AWS did not answer'}.`,
        nextStep: c.missingPermissions.length
          ? `Grant ${c.missingPermissions.join(', ')} to the bot's read role (see README "IAM permissions"), then check again.`
          : "Try again in a minute; if it persists, check the bot's AWS credentials and network access.",
      };
  }
}
