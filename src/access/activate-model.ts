// The admin activation workflow: idempotent and resumable. It reads the model's availability first and skips every
// step already done, so a run that died midway is simply run again and converges without a second agreement.
import type { Config } from '../config.js';
import { providerOf } from '../diagnosis/providers.js';
import { type AccountDirectory, snapshotOf } from './account-registry.js';
import { ActivationError, ActivationErrorReason } from './activation-errors.js';
import type { ActivationLease } from './activation-lease.js';
import { type AwsCallError, isAwsCallError } from './aws-call-error.js';
import { parseModelRef, profilePrefixFor } from './model-ref.js';
import type {
  AgreementOffer,
  AwsPorts,
  BedrockControlPort,
  CallOptions,
  Clock,
  FoundationModelInfo,
  ModelAvailability,
  Principal,
} from './ports.js';
import { systemClock } from './ports.js';
import type { OfferSummary } from './status-report.js';
import { resolveTarget } from './target.js';
import { loadUseCaseForm } from './use-case-form.js';

export type ActivationStepName =
  | 'assume_role'
  | 'read_availability'
  | 'use_case_form'
  | 'list_offers'
  | 'create_agreement'
  | 'wait_until_available'
  | 'verify';

export interface ActivationProgress {
  step: ActivationStepName;
  status: 'started' | 'done' | 'skipped' | 'failed';
  detail?: string;
  at: string;
}

/** What the activator is asked to do; the stored approval flow is `ActivationRequest` (request-repository.ts). */
export interface ActivateModelInput {
  /** Ties the AWS session (RoleSessionName, tags) to the request, for CloudTrail. */
  requestId: string;
  modelRef: string;
  /** Account id or alias; the default account when absent. */
  account?: string;
  /** Region to activate in; the account's first region when absent (one subscription covers all regions). */
  region?: string;
  /** Who approved: becomes the session's SourceIdentity. */
  approver: string;
  requester?: string;
  onProgress?: (progress: ActivationProgress) => void;
  /** Aborting stops the workflow between steps; a re-run resumes. */
  signal?: AbortSignal;
}

export type ActivationOutcome = 'ACTIVE' | 'ALREADY_ACTIVE' | 'STILL_PENDING' | 'FAILED';

export interface ActivationResult {
  outcome: ActivationOutcome;
  /** One or two sentences for the approver and requester. */
  message: string;
  requestId: string;
  modelRef: string;
  baseModelId: string;
  account: { id?: string; alias: string };
  region: string;
  /** The assumed activation session (for the audit trail). */
  sessionArn?: string;
  useCaseFormSubmitted: boolean;
  agreementCreated: boolean;
  /** Create answered ConflictException: an agreement was already in flight. */
  agreementConflict: boolean;
  offer?: OfferSummary;
  /** AWS's errorMessage when the agreement ended in ERROR. */
  agreementError?: string;
  verification?: { ok: boolean; detail: string };
  /** This call joined an identical activation already running in this process. */
  joined: boolean;
  steps: ActivationProgress[];
}

export type ActivateModel = (request: ActivateModelInput) => Promise<ActivationResult>;

export interface ActivationDeps {
  config: Pick<Config, 'activation'>;
  /** The registry, read once per activation. */
  accounts: AccountDirectory;
  aws: AwsPorts;
  clock?: Clock;
  /** Reads the use-case form file. @default fs.readFileSync */
  readFile?: (path: string) => string;
  /** Fast polling lasts this long (most agreements settle within ~2 min); then the interval doubles. @default 180000 */
  fastPollWindowMs?: number;
  /** Upper bound for the backed-off poll interval. @default 60000 */
  maxPollIntervalMs?: number;
  /** One activation of a model at a time across processes; without it, only runs in this process are joined. */
  lease?: ActivationLease;
  /** How long a lease holds unless renewed; its holder renews it every third of this. @default 30000 */
  leaseTtlMs?: number;
}

const STS_NAME_CHARS = /[^\w+=,.@-]/g;
const TAG_CHARS = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

export function createModelActivator(deps: ActivationDeps): ActivateModel {
  const clock = deps.clock ?? systemClock;
  const inFlight = new Map<
    string,
    { promise: Promise<ActivationResult>; listeners: Set<(p: ActivationProgress) => void>; steps: ActivationProgress[] }
  >();

  return async (request) => {
    // Everything that can be checked without AWS is checked first, so bad input costs no AWS call.
    const ref = parseModelRef(request.modelRef);
    const { account, regions } = resolveTarget(
      await snapshotOf(deps.accounts),
      request.account,
      request.region ? [request.region] : undefined,
      ref.arnRegion,
      ref.arnAccount,
    );
    const region = regions[0] ?? 'us-east-1';
    const baseModelId = ref.baseModelId;
    if (!baseModelId) {
      throw new ActivationError(
        ActivationErrorReason.Validation,
        'Activate the foundation model behind an application inference profile by its model id, not the profile ARN.',
      );
    }
    const provider = providerOf(baseModelId);
    if (provider?.marketplace === false) {
      throw new ActivationError(
        ActivationErrorReason.FirstPartyModel,
        `${provider.name} models are not sold through AWS Marketplace, so ${baseModelId} needs no activation. ` +
          'If calls fail, an IAM policy or SCP is denying bedrock:InvokeModel.',
      );
    }
    if (!account.activationRoleArn) {
      throw new ActivationError(
        ActivationErrorReason.NoActivationRole,
        `No activation role is registered for account ${account.alias}. Set "activationRoleArn" in the account registry (or ACTIVATION_ROLE_ARN).`,
      );
    }

    const key = `${account.id ?? account.alias}|${region}|${baseModelId}`;
    const running = inFlight.get(key);
    if (running) {
      if (request.onProgress) {
        for (const s of running.steps) request.onProgress(s);
        running.listeners.add(request.onProgress);
      }
      return { ...(await running.promise), joined: true };
    }
    const listeners = new Set<(p: ActivationProgress) => void>(request.onProgress ? [request.onProgress] : []);
    const steps: ActivationProgress[] = [];
    const emit = (step: ActivationStepName, status: ActivationProgress['status'], detail?: string) => {
      const p: ActivationProgress = { step, status, detail, at: new Date(clock.now()).toISOString() };
      steps.push(p);
      for (const l of listeners) l(p);
    };
    const roleArn = account.activationRoleArn;
    const work = () =>
      run({
        deps,
        clock,
        request,
        account,
        region,
        baseModelId,
        roleArn,
        useCaseForm: provider?.useCaseForm ?? false,
        callOptions: { signal: request.signal },
        emit,
        steps,
      });
    const promise = (deps.lease ? underLease(deps, clock, key, request, work) : work())
      .catch((err: unknown) => {
        // An aborted SDK call fails with its own error; the caller asked for the abort and gets its reason.
        if (request.signal?.aborted) throw request.signal.reason;
        throw err;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, { promise, listeners, steps });
    return promise;
  };
}

/**
 * Runs `work` while holding the (account, region, model) lease. When another process holds it, waits until it lets
 * go and reports the result it left; a holder that died (its lease ran out) or left no result is taken over.
 */
async function underLease(
  deps: ActivationDeps,
  clock: Clock,
  key: string,
  request: ActivateModelInput,
  work: () => Promise<ActivationResult>,
): Promise<ActivationResult> {
  const lease = deps.lease as ActivationLease;
  const ttlMs = deps.leaseTtlMs ?? 30_000;
  for (;;) {
    request.signal?.throwIfAborted();
    const attempt = await lease.acquire(key, request.requestId, ttlMs);
    if (attempt.acquired) {
      const renewal = setInterval(() => {
        lease.renew(key, attempt.token, ttlMs).catch(() => undefined);
      }, ttlMs / 3);
      renewal.unref();
      let outcome: string | undefined;
      try {
        const result = await work();
        outcome = JSON.stringify(result);
        return result;
      } finally {
        clearInterval(renewal);
        // A failed release only delays a waiter until the lease runs out.
        await lease.release(key, attempt.token, outcome).catch(() => undefined);
      }
    }
    const seen = attempt.state.token;
    for (;;) {
      await clock.sleep(deps.config.activation.pollIntervalMs, request.signal);
      const now = await lease.read(key);
      if (seen && now?.lastToken === seen && now.outcome) {
        return { ...(JSON.parse(now.outcome) as ActivationResult), joined: true };
      }
      if (!now?.token || now.token !== seen || (now.until ?? 0) < Date.now()) break;
    }
  }
}

interface RunContext {
  deps: ActivationDeps;
  clock: Clock;
  request: ActivateModelInput;
  account: { id?: string; alias: string; externalId?: string };
  region: string;
  baseModelId: string;
  roleArn: string;
  useCaseForm: boolean;
  /** The request's abort signal reaches every SDK call, so aborting stops the HTTP request in flight too. */
  callOptions: CallOptions;
  emit: (step: ActivationStepName, status: ActivationProgress['status'], detail?: string) => void;
  steps: ActivationProgress[];
}

async function run(c: RunContext): Promise<ActivationResult> {
  const { request, region, baseModelId, emit } = c;
  const checkpoint = () => request.signal?.throwIfAborted();
  const result: ActivationResult = {
    outcome: 'STILL_PENDING',
    message: '',
    requestId: request.requestId,
    modelRef: request.modelRef.trim(),
    baseModelId,
    account: { id: c.account.id, alias: c.account.alias },
    region,
    useCaseFormSubmitted: false,
    agreementCreated: false,
    agreementConflict: false,
    joined: false,
    steps: c.steps,
  };

  // 1. AssumeRole, so CloudTrail shows which request and which approver every later call belongs to.
  checkpoint();
  emit('assume_role', 'started', c.roleArn);
  let as: Principal;
  try {
    const session = await c.deps.aws.identity(region, { kind: 'default' }).assumeRole(
      {
        roleArn: c.roleArn,
        sessionName: sessionNameFor(request.requestId),
        externalId: c.account.externalId,
        sourceIdentity: sourceIdentityFor(request.approver),
        tags: {
          'bedrock-doctor:request-id': tagValue(request.requestId),
          'bedrock-doctor:model': tagValue(baseModelId),
          'bedrock-doctor:requester': tagValue(request.requester ?? 'unknown'),
          'bedrock-doctor:approver': tagValue(request.approver),
        },
      },
      c.callOptions,
    );
    as = { kind: 'session', credentials: session.credentials };
    result.sessionArn = session.arn;
    emit('assume_role', 'done', session.arn);
  } catch (err) {
    emit('assume_role', 'failed', messageOf(err));
    if (isAwsCallError(err, 'access-denied')) {
      throw new ActivationError(
        ActivationErrorReason.AssumeRoleDenied,
        `The bot may not assume the activation role ${c.roleArn}: ${err.message}. Check the role's trust policy ` +
          '(it must trust the bot and allow sts:SetSourceIdentity and sts:TagSession) and the ExternalId.',
        { step: 'assume_role', awsMessage: err.message },
        { cause: err },
      );
    }
    throw fromAws(err, 'assume_role');
  }
  const control = c.deps.aws.control(region, as);

  // 2. Read availability first: whatever is already done is skipped.
  checkpoint();
  emit('read_availability', 'started');
  // The model's lifecycle is read alongside (no extra wait) and consulted only if something is to be written:
  // a status check that could not read it must never let a Legacy model's offer be accepted (issue 9).
  const modelP = control.getFoundationModel(baseModelId, c.callOptions).then(
    (info) => ({ ok: true as const, info }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const availability = await step('read_availability', () => control.getAvailability(baseModelId, c.callOptions));
  emit('read_availability', 'done', describeAvailability(availability));
  if (availability.regionAvailability === 'NOT_AVAILABLE') {
    throw new ActivationError(
      ActivationErrorReason.NotInRegion,
      `${baseModelId} is not offered in ${region}, so there is nothing to activate there. Pick a region that offers it.`,
      { step: 'read_availability' },
    );
  }
  const state = availability.agreementStatus;
  const skipWrites = state === 'AVAILABLE' || state === 'PENDING';
  const why = state === 'AVAILABLE' ? 'already activated' : 'an agreement is already pending';
  if (!skipWrites) confirmActive(c, await modelP);

  // 3. Anthropic's use-case form, only when none is on file.
  checkpoint();
  if (!c.useCaseForm) emit('use_case_form', 'skipped', 'not needed for this provider');
  else if (skipWrites) emit('use_case_form', 'skipped', why);
  else {
    emit('use_case_form', 'started');
    const { onFile } = await step('use_case_form', () => control.getUseCase(c.callOptions));
    if (onFile) emit('use_case_form', 'skipped', 'a form is already on file for this account');
    else {
      // The file is read only now, when AWS has no form on file, and still before any write call: a broken
      // file must not block an account that already has a form, nor cost a half-done activation.
      const formFile = c.deps.config.activation.useCaseFormFile;
      if (!formFile) {
        emit('use_case_form', 'failed', 'no form configured');
        throw new ActivationError(
          ActivationErrorReason.UseCaseFormMissing,
          `${baseModelId} needs Anthropic's use-case form, none is on file for account ${c.account.alias}, and no ` +
            "form template is configured. Set USE_CASE_FORM_FILE to your organisation's vetted form.",
          { step: 'use_case_form' },
        );
      }
      let formData: Uint8Array;
      try {
        formData = loadUseCaseForm(formFile, c.deps.readFile);
      } catch (err) {
        emit('use_case_form', 'failed', messageOf(err));
        throw err;
      }
      await step('use_case_form', () => control.putUseCase(formData, c.callOptions));
      result.useCaseFormSubmitted = true;
      emit('use_case_form', 'done', 'form submitted');
    }
  }

  // 4. Offers are listed now, not earlier: offer tokens change. Then the agreement.
  let offer: AgreementOffer | undefined;
  if (skipWrites) {
    emit('list_offers', 'skipped', why);
    emit('create_agreement', 'skipped', why);
  } else {
    checkpoint();
    offer = await listOffer(c, control);
    result.offer = { offerId: offer.offerId, termsUrl: offer.termsUrl, pricing: offer.pricing };
    checkpoint();
    emit('create_agreement', 'started');
    const created = await createAgreement(c, control, offer);
    result.agreementCreated = created === 'created';
    result.agreementConflict = created === 'conflict';
    emit(
      'create_agreement',
      'done',
      created === 'conflict' ? 'an agreement was already in flight; waiting for it' : 'agreement requested',
    );
  }

  // 5. Wait until AVAILABLE on two consecutive reads, ERROR, or the deadline.
  checkpoint();
  if (state === 'AVAILABLE') emit('wait_until_available', 'skipped', 'already AVAILABLE');
  else {
    emit('wait_until_available', 'started');
    // After a ConflictException, AWS said an agreement is in flight; if none shows up after a few reads, list the
    // offers again and create once more (bounded), rather than waiting out the deadline for nothing.
    let recreates = 0;
    let offerToRecreate = offer;
    const whenMissing = result.agreementConflict
      ? async (): Promise<'wait' | 'gave-up'> => {
          if (recreates >= MAX_RECREATES_AFTER_CONFLICT) return 'gave-up';
          recreates++;
          emit('create_agreement', 'started', 'no agreement appeared after the conflict; creating once more');
          offerToRecreate = await listOffer(c, control);
          const again = await createAgreement(c, control, offerToRecreate);
          if (again === 'created') {
            result.agreementCreated = true;
            emit('create_agreement', 'done', 'agreement requested');
          } else emit('create_agreement', 'done', 'AWS again reports an agreement in flight');
          return 'wait';
        }
      : undefined;
    const { availability: final, pollError, neverAppeared } = await waitUntilSettled(c, control, whenMissing);
    if (neverAppeared) {
      result.outcome = 'FAILED';
      result.message =
        `AWS reports an agreement for ${baseModelId} in flight (ConflictException), but it never appeared: ` +
        `availability stayed NOT_AVAILABLE and ${recreates + 1} attempts to create one were refused. ` +
        "Check the account's AWS Marketplace subscriptions, then run the activation again.";
      emit('wait_until_available', 'failed', 'an agreement in flight never appeared');
      return result;
    }
    if (final.agreementStatus === 'ERROR') {
      result.outcome = 'FAILED';
      result.agreementError = final.agreementError;
      result.message = `AWS could not complete the agreement for ${baseModelId}: "${final.agreementError ?? 'no reason given'}".`;
      emit('wait_until_available', 'failed', final.agreementError);
      return result;
    }
    if (final.agreementStatus !== 'AVAILABLE') {
      result.outcome = 'STILL_PENDING';
      const after = formatDuration(c.deps.config.activation.deadlineMs);
      // When the last reads failed, say so: "still PENDING" would claim a state nobody could read.
      result.message = pollError
        ? `The agreement for ${baseModelId} was requested, but its state could not be read at the deadline (${after}; last error: ${pollError}). ` +
          'It will finish on its own if AWS accepted it. Check again later with status.'
        : `The agreement for ${baseModelId} is still ${final.agreementStatus} after ${after}. ` +
          'AWS usually settles within 2 minutes and within 15; it will finish on its own. Check again later with status.';
      emit(
        'wait_until_available',
        'done',
        pollError ? `state unreadable at the deadline: ${pollError}` : `still ${final.agreementStatus} at the deadline`,
      );
      return result;
    }
    emit('wait_until_available', 'done', 'AVAILABLE');
  }
  result.outcome = state === 'AVAILABLE' ? 'ALREADY_ACTIVE' : 'ACTIVE';
  result.message =
    result.outcome === 'ALREADY_ACTIVE'
      ? `${baseModelId} was already activated in account ${c.account.alias}; nothing was changed.`
      : `${baseModelId} is now activated in account ${c.account.alias}. Every role with bedrock:InvokeModel can call it; allow up to 2 minutes for it to propagate.`;

  // 6. Optional: prove it with a minimal Converse call as the activation role.
  if (!c.deps.config.activation.verifyWithConverse) emit('verify', 'skipped', 'verification is off');
  else {
    checkpoint();
    emit('verify', 'started');
    result.verification = await verify(c, as);
    emit('verify', result.verification.ok ? 'done' : 'failed', result.verification.detail);
  }
  return result;

  async function step<T>(name: ActivationStepName, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      emit(name, 'failed', messageOf(err));
      throw fromAws(err, name);
    }
  }
}

/** Throws unless GetFoundationModel (read as the activation session) says the model is ACTIVE. */
function confirmActive(
  c: RunContext,
  model: { ok: true; info: FoundationModelInfo } | { ok: false; error: unknown },
): void {
  if (model.ok && model.info.lifecycle === 'ACTIVE') return;
  if (model.ok && model.info.lifecycle === 'LEGACY') {
    c.emit('read_availability', 'failed', 'the model is Legacy');
    throw new ActivationError(
      ActivationErrorReason.LegacyModel,
      `${c.baseModelId} is a Legacy model: AWS keeps it only for accounts that used it recently and does not ` +
        'activate it for others. Nothing was changed; move to its successor.',
      { step: 'read_availability' },
    );
  }
  if (!model.ok && isAwsCallError(model.error) && ['access-denied', 'not-found'].includes(model.error.kind)) {
    c.emit('read_availability', 'failed', messageOf(model.error));
    throw fromAws(model.error, 'read_availability');
  }
  const why = model.ok ? `its lifecycle reads ${model.info.lifecycle ?? 'nothing'}` : messageOf(model.error);
  c.emit('read_availability', 'failed', `model details unreadable: ${why}`);
  throw new ActivationError(
    ActivationErrorReason.ModelUnconfirmed,
    `${c.baseModelId}: could not confirm the model is active; try again. Nothing was changed (GetFoundationModel: ${why}).`,
    { step: 'read_availability', awsMessage: model.ok ? undefined : messageOf(model.error) },
    { cause: model.ok ? undefined : model.error },
  );
}

async function listOffer(c: RunContext, control: BedrockControlPort): Promise<AgreementOffer> {
  c.emit('list_offers', 'started');
  let offers: AgreementOffer[];
  try {
    offers = await control.listOffers(c.baseModelId, c.callOptions);
  } catch (err) {
    c.emit('list_offers', 'failed', messageOf(err));
    throw fromAws(err, 'list_offers');
  }
  const offer = offers[0];
  if (!offer) {
    c.emit('list_offers', 'failed', 'no offer');
    throw new ActivationError(
      ActivationErrorReason.NoOffer,
      `AWS Marketplace has no offer for ${c.baseModelId} in ${c.region}, so it cannot be activated there. ` +
        'It may not be sold in this region, or may need no agreement.',
      { step: 'list_offers' },
    );
  }
  c.emit('list_offers', 'done', offer.termsUrl ? `terms: ${offer.termsUrl}` : offer.offerId);
  return offer;
}

async function createAgreement(
  c: RunContext,
  control: BedrockControlPort,
  offer: AgreementOffer,
): Promise<'created' | 'conflict'> {
  for (let attempt = 1; ; attempt++) {
    try {
      await control.createAgreement(c.baseModelId, offer.offerToken, c.callOptions);
      return 'created';
    } catch (err) {
      if (isAwsCallError(err, 'conflict')) return 'conflict';
      // An offer token can expire between list and create: list once more and retry once.
      if (isAwsCallError(err, 'validation') && attempt === 1) {
        const fresh = (await control.listOffers(c.baseModelId, c.callOptions).catch(() => []))[0];
        if (fresh) {
          offer = fresh;
          continue;
        }
      }
      c.emit('create_agreement', 'failed', messageOf(err));
      if (isAwsCallError(err, 'access-denied') && /aws-marketplace:/i.test(err.message)) {
        throw new ActivationError(
          ActivationErrorReason.MarketplaceDenied,
          `The activation role lacks AWS Marketplace rights: ${err.message}. Grant it aws-marketplace:Subscribe and ` +
            'aws-marketplace:ViewSubscriptions (see README "IAM permissions").',
          { step: 'create_agreement', awsMessage: err.message, missingAction: deniedAction(err) },
          { cause: err },
        );
      }
      throw fromAws(err, 'create_agreement');
    }
  }
}

/** The last availability read, and the error of the last poll when it failed (reads that failed are retried). */
interface Settled {
  availability: ModelAvailability;
  pollError?: string;
  /** An agreement reported in flight never appeared, and `whenMissing` gave up. */
  neverAppeared?: boolean;
}

/** NOT_AVAILABLE reads in a row after a ConflictException before the agreement counts as missing. */
const MISSING_READS = 3;
/** Creates tried again when an agreement reported in flight never appears. */
const MAX_RECREATES_AFTER_CONFLICT = 2;

async function waitUntilSettled(
  c: RunContext,
  control: BedrockControlPort,
  whenMissing?: () => Promise<'wait' | 'gave-up'>,
): Promise<Settled> {
  const { clock, deps } = c;
  const { pollIntervalMs, deadlineMs } = deps.config.activation;
  const fastWindow = deps.fastPollWindowMs ?? 180_000;
  const maxInterval = Math.max(pollIntervalMs, deps.maxPollIntervalMs ?? 60_000);
  const start = clock.now();
  const deadline = start + deadlineMs;
  let interval = pollIntervalMs;
  let last: ModelAvailability | undefined;
  let availableReads = 0;
  let missingReads = 0;
  let pollError: string | undefined;
  for (;;) {
    c.request.signal?.throwIfAborted();
    try {
      last = await control.getAvailability(c.baseModelId, c.callOptions);
      pollError = undefined;
    } catch (err) {
      pollError = messageOf(err);
      // A throttled or failed poll is not the agreement failing: keep polling until the deadline.
      if (!isAwsCallError(err) || !['throttled', 'unavailable', 'timeout'].includes(err.kind)) {
        c.emit('wait_until_available', 'failed', messageOf(err));
        throw fromAws(err, 'wait_until_available');
      }
    }
    if (last?.agreementStatus === 'ERROR' && !pollError) return { availability: last };
    if (whenMissing && !pollError) {
      missingReads = last?.agreementStatus === 'NOT_AVAILABLE' ? missingReads + 1 : 0;
      if (missingReads >= MISSING_READS) {
        missingReads = 0;
        if ((await whenMissing()) === 'gave-up' && last) return { availability: last, neverAppeared: true };
        continue;
      }
    }
    availableReads = last?.agreementStatus === 'AVAILABLE' && !pollError ? availableReads + 1 : 0;
    if (availableReads >= 2 && last) return { availability: last };
    const elapsed = clock.now() - start;
    if (elapsed >= deadlineMs) {
      return { availability: last ?? { modelId: c.baseModelId, agreementStatus: 'PENDING' }, pollError };
    }
    // After a first AVAILABLE, confirm soon; before, poll steadily in the usual settle window, then back off.
    let wait = availableReads === 1 ? Math.max(1, Math.round(pollIntervalMs / 4)) : interval;
    if (availableReads === 0 && elapsed >= fastWindow) interval = Math.min(interval * 2, maxInterval);
    wait = Math.min(wait, Math.max(0, deadline - clock.now()));
    await clock.sleep(wait, c.request.signal);
  }
}

async function verify(c: RunContext, as: Principal): Promise<{ ok: boolean; detail: string }> {
  const runtime = c.deps.aws.runtime(c.region, as);
  const ref = parseModelRef(c.request.modelRef);
  const target = ref.kind === 'model' ? c.baseModelId : ref.ref;
  try {
    await runtime.converse(target, 'Reply with OK.', c.callOptions);
    return { ok: true, detail: `Converse on ${target} succeeded` };
  } catch (err) {
    // Profile-only models refuse their bare id on-demand; retry through the region's system profile.
    if (isAwsCallError(err, 'validation') && /inference profile/i.test(err.message) && ref.kind === 'model') {
      const profileId = `${profilePrefixFor(c.region)}.${c.baseModelId}`;
      try {
        await runtime.converse(profileId, 'Reply with OK.', c.callOptions);
        return { ok: true, detail: `Converse on ${profileId} succeeded` };
      } catch (again) {
        return { ok: false, detail: `Converse on ${profileId} failed: ${messageOf(again)}` };
      }
    }
    return { ok: false, detail: `Converse on ${target} failed: ${messageOf(err)}` };
  }
}

function fromAws(err: unknown, step: ActivationStepName): Error {
  if (err instanceof ActivationError || !isAwsCallError(err))
    return err instanceof Error ? err : new Error(String(err));
  const details = {
    step,
    awsMessage: err.message,
    missingAction: err.kind === 'access-denied' ? deniedAction(err) : undefined,
  };
  switch (err.kind) {
    case 'throttled':
      return new ActivationError(
        ActivationErrorReason.Throttled,
        `AWS kept throttling ${err.operation} after retries. Nothing was half-done: run the activation again in a minute and it resumes.`,
        details,
        { cause: err },
      );
    case 'access-denied':
      return new ActivationError(
        ActivationErrorReason.RolePermissionMissing,
        `The activation role is missing ${details.missingAction}: ${err.message}`,
        details,
        { cause: err },
      );
    case 'validation':
    case 'not-found':
      return new ActivationError(
        ActivationErrorReason.Validation,
        `AWS rejected ${err.operation}: ${err.message}`,
        details,
        {
          cause: err,
        },
      );
    default:
      return new ActivationError(
        ActivationErrorReason.AwsFailure,
        `${err.operation} failed: ${err.message}. Run the activation again; it resumes where it stopped.`,
        details,
        { cause: err },
      );
  }
}

function deniedAction(err: AwsCallError): string {
  return /not authorized to perform: ([\w-]+:[\w*-]+)/.exec(err.message)?.[1] ?? err.action;
}

function describeAvailability(a: ModelAvailability): string {
  return `agreement ${a.agreementStatus}${a.agreementError ? ` (${a.agreementError})` : ''}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** RoleSessionName: STS allows `[\w+=,.@-]`, 2–64 characters. */
export function sessionNameFor(requestId: string): string {
  return pad(`bd-${requestId.replace(STS_NAME_CHARS, '-')}`.slice(0, 64));
}

/** SourceIdentity: the approver, reduced to STS's allowed characters (2–64); it cannot be changed later in the chain. */
export function sourceIdentityFor(approver: string): string {
  return pad(approver.trim().replace(STS_NAME_CHARS, '-').slice(0, 64));
}

/**
 * Session tag value: STS's characters, at most 256 (counted in UTF-16 units, the stricter reading), cut between
 * characters: half a surrogate pair cannot even be URL-encoded for the request.
 */
export function tagValue(value: string): string {
  let out = '';
  for (const ch of value.replace(TAG_CHARS, '_')) {
    if (out.length + ch.length > 256) break;
    out += ch;
  }
  return out;
}

/** "80 ms", "45 seconds", "15 minutes": the deadline as an approver reads it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} seconds`;
  return `${Math.round(ms / 60_000)} minutes`;
}

function pad(s: string): string {
  return s.length >= 2 ? s : `${s}--`.slice(0, 2);
}
