// Step 5: wait until the agreement is AVAILABLE on two consecutive reads, ends in ERROR, or the deadline passes.
// Polls steadily through the usual settle window, then backs off; failed reads are retried until the deadline.
import { messageOf } from '../../errors.js';
import { isAwsCallError } from '../aws-call-error.js';
import type { BedrockControlPort, ModelAvailability } from '../ports.js';
import { fromAws } from './activation-errors.js';
import { recreateAfterConflict } from './agreement.js';
import type { ActivationPlan } from './availability.js';
import type { RunContext } from './run-context.js';
import type { ActivationResult } from './types.js';

/**
 * Waits for the agreement unless it was already AVAILABLE. 'ended': the outcome is FAILED or STILL_PENDING and
 * `result` says why; 'available': the model is activated.
 */
export async function waitForAgreement(
  c: RunContext,
  control: BedrockControlPort,
  { state }: ActivationPlan,
  result: ActivationResult,
): Promise<'available' | 'ended'> {
  const { baseModelId, emit } = c;
  if (state === 'AVAILABLE') {
    emit('wait_until_available', 'skipped', 'already AVAILABLE');
    return 'available';
  }
  emit('wait_until_available', 'started');
  const recreate = result.agreementConflict ? recreateAfterConflict(c, control, result) : undefined;
  const { availability: final, pollError, neverAppeared } = await waitUntilSettled(c, control, recreate?.whenMissing);
  if (neverAppeared) {
    result.outcome = 'FAILED';
    result.message =
      `AWS reports an agreement for ${baseModelId} in flight (ConflictException), but it never appeared: ` +
      `availability stayed NOT_AVAILABLE and ${recreate?.attempts()} attempts to create one were refused. ` +
      "Check the account's AWS Marketplace subscriptions, then run the activation again.";
    emit('wait_until_available', 'failed', 'an agreement in flight never appeared');
    return 'ended';
  }
  if (final.agreementStatus === 'ERROR') {
    result.outcome = 'FAILED';
    result.agreementError = final.agreementError;
    result.message = `AWS could not complete the agreement for ${baseModelId}: "${final.agreementError ?? 'no reason given'}".`;
    emit('wait_until_available', 'failed', final.agreementError);
    return 'ended';
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
    return 'ended';
  }
  emit('wait_until_available', 'done', 'AVAILABLE');
  return 'available';
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

export async function waitUntilSettled(
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

/** "80 ms", "45 seconds", "15 minutes": the deadline as an approver reads it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} seconds`;
  return `${Math.round(ms / 60_000)} minutes`;
}
