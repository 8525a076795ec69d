// Step 2: read the agreement's state first, so whatever is already done is skipped; before anything is written,
// confirm the model itself is active (a Legacy model's offer must never be accepted).
import { messageOf } from '../../errors.js';
import { isAwsCallError } from '../aws-call-error.js';
import type { BedrockControlPort, FoundationModelInfo, ModelAvailability } from '../ports.js';
import { ActivationError, ActivationErrorReason, fromAws } from './activation-errors.js';
import { awsStep, type RunContext } from './run-context.js';

/** What the first read decided for the rest of the run. */
export interface ActivationPlan {
  /** The agreement's state before this run wrote anything. */
  state: ModelAvailability['agreementStatus'];
  /** Already AVAILABLE or PENDING: no form, no offer, no agreement is written. */
  skipWrites: boolean;
  /** Why the writes are skipped, as the skipped steps report it. */
  why: string;
}

export async function readAvailability(c: RunContext, control: BedrockControlPort): Promise<ActivationPlan> {
  const { region, baseModelId, emit } = c;
  emit('read_availability', 'started');
  // The model's lifecycle is read alongside (no extra wait) and consulted only if something is to be written:
  // a check that could not read it must never let a Legacy model's offer be accepted.
  const modelP = control.getFoundationModel(baseModelId, c.callOptions).then(
    (info) => ({ ok: true as const, info }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const availability = await awsStep(c, 'read_availability', () => control.getAvailability(baseModelId, c.callOptions));
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
  return { state, skipWrites, why };
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

function describeAvailability(a: ModelAvailability): string {
  return `agreement ${a.agreementStatus}${a.agreementError ? ` (${a.agreementError})` : ''}`;
}
