// The activator's entry: checks what it can without AWS, then runs one activation per (account, region, model) at a
// time: in this process by joining the run already in flight, across processes under the lease (under-lease.ts).
// The run itself, step by step, is workflow.ts.
import { providerOf } from '../../diagnosis/providers.js';
import { snapshotOf } from '../account-registry.js';
import { parseModelRef } from '../model-ref.js';
import { systemClock } from '../ports.js';
import { resolveTarget } from '../target.js';
import { ActivationError, ActivationErrorReason } from './activation-errors.js';
import type {
  ActivateModel,
  ActivateModelInput,
  ActivationDeps,
  ActivationProgress,
  ActivationResult,
} from './types.js';
import { type Flight, underLease } from './under-lease.js';
import { runActivation } from './workflow.js';

export type {
  ActivateModel,
  ActivateModelInput,
  ActivationDeps,
  ActivationOutcome,
  ActivationProgress,
  ActivationResult,
  ActivationStepName,
} from './types.js';

export function createModelActivator(deps: ActivationDeps): ActivateModel {
  const clock = deps.clock ?? systemClock;
  const inFlight = new Map<string, { promise: Promise<ActivationResult>; flight: Flight }>();

  return async (request) => {
    const { account, region, baseModelId, provider, roleArn } = await checkInput(deps, request);
    const key = `${account.id ?? account.alias}|${region}|${baseModelId}`;
    const running = inFlight.get(key);
    if (running) {
      if (request.onProgress) {
        for (const s of running.flight.steps) request.onProgress(s);
        running.flight.listeners.add(request.onProgress);
      }
      return { ...(await running.promise), joined: true };
    }
    const listeners = new Set<(p: ActivationProgress) => void>(request.onProgress ? [request.onProgress] : []);
    const steps: ActivationProgress[] = [];
    const publish = (p: ActivationProgress) => {
      steps.push(p);
      for (const l of listeners) l(p);
    };
    const flight: Flight = { steps, listeners, publish };
    const work = (beforeWrite: () => Promise<void>) =>
      runActivation({
        deps,
        clock,
        request,
        account,
        region,
        baseModelId,
        roleArn,
        useCaseForm: provider?.useCaseForm ?? false,
        callOptions: { signal: request.signal },
        emit: (step, status, detail) => publish({ step, status, detail, at: new Date(clock.now()).toISOString() }),
        steps,
        beforeWrite,
      });
    const leased = deps.lease && {
      lease: deps.lease,
      ttlMs: deps.leaseTtlMs ?? 30_000,
      pollIntervalMs: deps.config.activation.pollIntervalMs,
    };
    const promise = (leased ? underLease({ ...leased, clock, key, request, flight, work }) : work(async () => {}))
      .catch((err: unknown) => {
        // An aborted SDK call fails with its own error; the caller asked for the abort and gets its reason.
        if (request.signal?.aborted) throw request.signal.reason;
        throw err;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, { promise, flight });
    return promise;
  };
}

/** Everything that can be checked without AWS is checked first, so bad input costs no AWS call. */
async function checkInput(deps: ActivationDeps, request: ActivateModelInput) {
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
  return { account, region, baseModelId, provider, roleArn: account.activationRoleArn };
}
