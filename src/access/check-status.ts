// Live status check: gathers what AWS knows about a model in an account and region(s), concurrently, and reduces
// it to one verdict. A slow or failing call degrades its part of the answer, never the whole answer.
import { baseModelIdOf, providerByName, providerOf } from '../diagnosis/providers.js';
import { ErrorCode, messageOf, UserFacingError } from '../errors.js';
import { type AccountDirectory, snapshotOf } from './account-registry.js';
import { AwsCallError, isAwsCallError } from './aws-call-error.js';
import { parseModelRef, profilePrefixFor } from './model-ref.js';
import type { AgreementOffer, AwsPorts, CallerIdentity, CallOptions } from './ports.js';
import type { CheckStatus, RegionStatus, StatusReport } from './status-report.js';
import { describeVerdict, overallVerdict, type RegionFacts, regionVerdict } from './status-verdicts.js';
import { suggestModelIds } from './suggest-models.js';
import { notManagedAccount, readPrincipal, resolveTarget } from './target.js';

export interface StatusCheckerDeps {
  /** The registry, read once per check. */
  accounts: AccountDirectory;
  aws: AwsPorts;
  /** Per-call budget; a call over it is reported as degraded. @default 8000 */
  callTimeoutMs?: number;
  now?: () => Date;
}

export function createStatusChecker(deps: StatusCheckerDeps): CheckStatus {
  const timeoutMs = deps.callTimeoutMs ?? 8000;
  const now = deps.now ?? (() => new Date());

  return async (query) => {
    const ref = parseModelRef(query.modelRef);
    const registry = await snapshotOf(deps.accounts);
    const target = resolveTarget(
      registry,
      query.account,
      query.regions,
      ref.arnRegion,
      ref.arnAccount ?? query.namedAccount,
    );
    const { account, regions } = target;
    const as = readPrincipal(account);
    const [firstRegion = regions[0] ?? 'us-east-1'] = regions;
    const timed = <T>(run: (options: CallOptions) => Promise<T>, operation: string, action: string) =>
      withTimeout(run, timeoutMs, operation, action);

    const identityP = timed(
      (o) => deps.aws.identity(firstRegion, as).getCallerIdentity(o),
      'GetCallerIdentity',
      'sts:GetCallerIdentity',
    );
    if (target.expectAccountId) {
      // The ARN names an account and the default account's id is only known from the credentials: confirm it
      // before reading Bedrock, so another account's model is never reported on as ours.
      const confirmed = await settle(identityP);
      if (!confirmed.ok) {
        throw new UserFacingError(
          ErrorCode.AwsFailure,
          `Could not confirm that the bot's credentials belong to account ${target.expectAccountId}, which the ` +
            `model ARN names: ${explainFailure(confirmed.error)}.`,
          { cause: confirmed.error },
        );
      }
      if (confirmed.value.account !== target.expectAccountId) {
        throw notManagedAccount(target.expectAccountId, registry);
      }
    }
    let provider = ref.baseModelId ? providerOf(ref.baseModelId) : undefined;

    const perRegion = regions.map(async (region) => {
      const control = deps.aws.control(region, as);
      const facts: RegionFacts = { region };
      let baseId = ref.baseModelId;
      const profileP =
        ref.kind === 'model'
          ? undefined
          : timed((o) => control.getInferenceProfile(ref.ref, o), 'GetInferenceProfile', 'bedrock:GetInferenceProfile');
      if (!baseId && profileP) {
        // Application profiles hide their model behind an opaque id: resolve it first.
        const p = await settle(profileP);
        if (p.ok) baseId = p.value.modelArns[0] ? baseModelIdOf(p.value.modelArns[0]) : undefined;
        else facts.profileError = p.error;
      }
      if (!baseId) return { facts, offers: undefined as AgreementOffer[] | undefined, offersError: undefined, baseId };
      const prov = provider ?? providerOf(baseId);
      const [profile, model, availability, offers, useCase] = await Promise.all([
        profileP && !facts.profileError ? settle(profileP) : undefined,
        settle(timed((o) => control.getFoundationModel(baseId, o), 'GetFoundationModel', 'bedrock:GetFoundationModel')),
        settle(
          timed(
            (o) => control.getAvailability(baseId, o),
            'GetFoundationModelAvailability',
            'bedrock:GetFoundationModelAvailability',
          ),
        ),
        prov?.marketplace === false
          ? undefined
          : settle(
              timed(
                (o) => control.listOffers(baseId, o),
                'ListFoundationModelAgreementOffers',
                'bedrock:ListFoundationModelAgreementOffers',
              ),
            ),
        prov?.useCaseForm
          ? settle(timed((o) => control.getUseCase(o), 'GetUseCaseForModelAccess', 'bedrock:GetUseCaseForModelAccess'))
          : undefined,
      ]);
      if (profile?.ok) facts.profile = profile.value;
      else if (profile) facts.profileError = profile.error;
      if (model.ok) facts.model = model.value;
      else facts.modelError = model.error;
      if (availability.ok) facts.availability = availability.value;
      else facts.availabilityError = availability.error;
      if (useCase?.ok) facts.useCaseOnFile = useCase.value.onFile;
      return {
        facts,
        offers: offers?.ok ? offers.value : undefined,
        offersError: offers && !offers.ok ? offers.error : undefined,
        useCaseError: useCase && !useCase.ok ? useCase.error : undefined,
        baseId,
      };
    });

    const [identity, ...results] = await Promise.all([settle(identityP), ...perRegion]);
    const degraded: string[] = [];
    const missing = new Set<string>();
    const problems: string[] = [];
    const note = (what: string, err: AwsCallError | undefined) => {
      if (!err) return;
      if (err.kind === 'access-denied') missing.add(deniedAction(err));
      if (err.kind === 'not-found' || err.kind === 'validation') return;
      problems.push(explainFailure(err));
      degraded.push(`${what}: ${explainFailure(err)}`);
    };

    let callerIdentity: CallerIdentity | undefined;
    if (identity.ok) callerIdentity = identity.value;
    else note('Caller identity', identity.error);

    const model = results.find((r) => r.facts.model)?.facts.model;
    const baseModelId = model?.modelId ?? results.find((r) => r.baseId)?.baseId;
    provider ??=
      (model?.providerName ? providerByName(model.providerName) : undefined) ??
      (baseModelId ? providerOf(baseModelId) : undefined);
    const traits = { marketplace: provider?.marketplace, useCaseForm: provider?.useCaseForm ?? false };

    const regionStatuses: RegionStatus[] = [];
    for (const r of results) {
      const f = r.facts;
      note(`Model details in ${f.region}`, f.modelError);
      note(`Availability in ${f.region}`, f.availabilityError);
      note(`Inference profile in ${f.region}`, f.profileError);
      if (traits.marketplace !== false) note(`Marketplace offer in ${f.region}`, r.offersError);
      note(`Use-case form in ${f.region}`, r.useCaseError);
      const found = regionVerdict(f, traits);
      regionStatuses.push({
        region: f.region,
        verdict: found ?? (model ? 'NOT_IN_REGION' : 'NOT_FOUND'),
        agreementStatus: f.availability?.agreementStatus,
        agreementError: f.availability?.agreementError,
        authorizationStatus: f.availability?.authorizationStatus,
        entitlementAvailability: f.availability?.entitlementAvailability,
        regionAvailability: f.availability?.regionAvailability,
        summary: '',
      });
    }

    const verdict = overallVerdict(regionStatuses.map((r) => r.verdict));
    let suggestions: string[] = [];
    if (verdict === 'NOT_FOUND') {
      const listed = await settle(
        timed(
          (o) => deps.aws.control(firstRegion, as).listFoundationModels(o),
          'ListFoundationModels',
          'bedrock:ListFoundationModels',
        ),
      );
      if (listed.ok)
        suggestions = suggestModelIds(
          baseModelId ?? ref.ref,
          listed.value.map((m) => m.modelId),
        );
      else note('Model suggestions', listed.error);
    }

    const profileOnly = model ? isProfileOnly(model.inferenceTypes) : undefined;
    const profileHint =
      profileOnly && ref.kind === 'model' && baseModelId
        ? `${profilePrefixFor(firstRegion)}.${baseModelId}`
        : undefined;
    const offer = results.find((r) => r.offers?.length)?.offers?.[0];
    const agreementError = regionStatuses.find((r) => r.agreementError)?.agreementError;
    const accountLabel = account.alias;
    const missingPermissions = [...missing];
    for (const rs of regionStatuses) {
      rs.summary = regionSummary(rs, agreementError);
    }
    const words = describeVerdict(verdict, {
      model: ref.ref,
      account: accountLabel,
      regions: regionStatuses.filter((r) => r.verdict === verdict).map((r) => r.region),
      agreementError,
      suggestions,
      missingPermissions,
      profileHint,
      problem: problems[0],
      providerName: provider?.name ?? model?.providerName,
    });

    const report: StatusReport = {
      modelRef: ref.ref,
      baseModelId,
      modelName: model?.modelName,
      providerId: provider?.id,
      providerName: provider?.name ?? model?.providerName,
      account: { id: account.id ?? callerIdentity?.account, alias: account.alias },
      callerArn: callerIdentity?.arn,
      verdict,
      ...words,
      lifecycle: model?.lifecycle === 'LEGACY' ? 'LEGACY' : model?.lifecycle === 'ACTIVE' ? 'ACTIVE' : undefined,
      profileOnly,
      suggestions,
      offer: offer ? { offerId: offer.offerId, termsUrl: offer.termsUrl, pricing: offer.pricing } : undefined,
      regions: regionStatuses,
      missingPermissions,
      degraded,
      checkedAt: now().toISOString(),
    };
    if (account.id && callerIdentity && callerIdentity.account !== account.id) {
      report.degraded.push(
        `The bot's credentials belong to account ${callerIdentity.account}, not ${account.id}; register a read role for ${account.alias}.`,
      );
    }
    return report;
  };
}

function isProfileOnly(types: string[]): boolean {
  return types.includes('INFERENCE_PROFILE') && !types.includes('ON_DEMAND');
}

function regionSummary(r: RegionStatus, agreementError?: string): string {
  switch (r.verdict) {
    case 'READY':
      return 'agreement AVAILABLE';
    case 'NO_ACTIVATION_NEEDED':
      return 'first-party model, no agreement needed';
    case 'NEEDS_ACTIVATION':
      return 'no agreement yet';
    case 'NEEDS_USE_CASE_FORM':
      return 'Anthropic use-case form not on file, no agreement yet';
    case 'ACTIVATION_PENDING':
      return 'agreement PENDING (about 2 minutes, up to 15)';
    case 'ACTIVATION_FAILED':
      return `agreement ERROR: ${r.agreementError ?? agreementError ?? 'no reason given'}`;
    case 'NOT_IN_REGION':
      return 'not offered in this region';
    case 'LEGACY':
      return 'legacy model';
    case 'NOT_FOUND':
      return 'no such model here';
    case 'CHECK_FAILED':
      return 'could not read the status';
  }
}

/** The IAM action AWS named in a denial, else the one the operation needs. */
function deniedAction(err: AwsCallError): string {
  return /not authorized to perform: ([\w-]+:[\w*-]+)/.exec(err.message)?.[1] ?? err.action;
}

function explainFailure(err: AwsCallError): string {
  switch (err.kind) {
    case 'access-denied':
      return `access denied (${deniedAction(err)})`;
    case 'timeout':
      return `${err.operation} timed out`;
    case 'throttled':
      return `${err.operation} was throttled by AWS`;
    case 'bad-credentials':
    case 'no-credentials':
      return `the bot's AWS credentials were rejected or missing (${err.message})`;
    default:
      return `${err.operation} failed: ${err.message}`;
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: AwsCallError };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    return {
      ok: false,
      error: isAwsCallError(err) ? err : new AwsCallError('other', 'unknown', '', messageOf(err)),
    };
  }
}

/** Answers without the call once its budget is spent, and aborts the call so its HTTP request stops too. */
function withTimeout<T>(
  run: (options: CallOptions) => Promise<T>,
  ms: number,
  operation: string,
  action: string,
): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AwsCallError('timeout', operation, action, `${operation} took longer than ${ms} ms`));
      abort.abort();
    }, ms);
  });
  // The call's own rejection after the abort is expected; the race has already answered with the timeout.
  const call = run({ signal: abort.signal });
  call.catch(() => undefined);
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
