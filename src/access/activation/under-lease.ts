// The cross-process single flight: an activation runs while its process holds the (account, region, model) lease.
// The holder renews the lease and records its steps on it; a process that finds the lease held waits, shows the
// holder's steps as its own progress, and reports the result the holder left. A holder that died (its lease ran out)
// or left no result is taken over. A holder whose lease was lost stops before its next AWS write and waits too:
// two processes writing at once could create two agreements.
import type { Clock } from '../ports.js';
import type { ActivationLease, LeaseState } from './activation-lease.js';
import type { ActivateModelInput, ActivationProgress, ActivationResult } from './types.js';

/** The steps this process has reported for one activation, and where new ones go. */
export interface Flight {
  steps: ActivationProgress[];
  listeners: Set<(p: ActivationProgress) => void>;
  /** Adds a step (this run's or a holder's elsewhere) and tells every listener. */
  publish: (p: ActivationProgress) => void;
}

export interface LeaseLoop {
  lease: ActivationLease;
  ttlMs: number;
  pollIntervalMs: number;
  clock: Clock;
  key: string;
  request: ActivateModelInput;
  flight: Flight;
  /** The activation itself; it calls `beforeWrite` right before each AWS write. */
  work: (beforeWrite: () => Promise<void>) => Promise<ActivationResult>;
}

/** Thrown into a run whose lease is no longer certainly its own, before it writes. */
class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

const LOST = Symbol('lease lost');

export async function underLease(loop: LeaseLoop): Promise<ActivationResult> {
  const { lease, key, request, ttlMs } = loop;
  for (;;) {
    request.signal?.throwIfAborted();
    const attempt = await lease.acquire(key, request.requestId, ttlMs);
    if (attempt.acquired) {
      const result = await holdWhileWorking(loop, attempt.token);
      if (result !== LOST) return result;
      continue;
    }
    const left = await waitForHolder(loop, attempt.state);
    if (left) return left;
  }
}

async function holdWhileWorking(loop: LeaseLoop, token: string): Promise<ActivationResult | typeof LOST> {
  const { lease, key, flight } = loop;
  const holding = holdLease(loop, token);
  flight.listeners.add(holding.record);
  let outcome: string | undefined;
  try {
    const result = await loop.work(holding.beforeWrite);
    outcome = JSON.stringify(result);
    return result;
  } catch (err) {
    if (err instanceof LeaseLostError) return LOST;
    throw err;
  } finally {
    flight.listeners.delete(holding.record);
    await holding.stop();
    // A failed release only delays a waiter until the lease runs out; a lease taken by another is left alone.
    await lease.release(key, token, outcome).catch(() => undefined);
  }
}

/**
 * Renews the lease every third of its time and records the holder's steps on it. Any renewal that fails or finds the
 * lease taken counts as lost: a holder that cannot prove it still holds the lease must not write.
 */
function holdLease({ lease, key, ttlMs, flight }: LeaseLoop, token: string) {
  let lost = false;
  let recording: Promise<void> = Promise.resolve();
  let queued = false;
  const renew = (progress?: string) =>
    lease.renew(key, token, ttlMs, progress).then(
      (held) => {
        if (!held) lost = true;
      },
      () => {
        lost = true;
      },
    );
  const timer = setInterval(() => void renew(), ttlMs / 3);
  timer.unref();
  return {
    /** Records the steps so far; steps reported while a write is queued go out with it. */
    record: () => {
      if (queued) return;
      queued = true;
      recording = recording.then(() => {
        queued = false;
        return renew(JSON.stringify(flight.steps));
      });
    },
    beforeWrite: async () => {
      await recording;
      if (!lost) await renew();
      if (lost) throw new LeaseLostError(`The activation lease on ${key} was lost; another run may hold it.`);
    },
    stop: async () => {
      clearInterval(timer);
      await recording;
    },
  };
}

/** Polls the holder's lease: relays its steps, and answers with its result, or undefined to try taking it over. */
async function waitForHolder(loop: LeaseLoop, state: LeaseState): Promise<ActivationResult | undefined> {
  const { lease, key, request, clock } = loop;
  const seen = state.token;
  let relayed = relay(loop.flight, state.progress, 0);
  for (;;) {
    await clock.sleep(loop.pollIntervalMs, request.signal);
    const now = await lease.read(key);
    if (seen && (now?.token === seen || now?.lastToken === seen)) relayed = relay(loop.flight, now.progress, relayed);
    if (seen && now?.lastToken === seen && now.outcome) {
      return { ...(JSON.parse(now.outcome) as ActivationResult), joined: true };
    }
    if (!now?.token || now.token !== seen || (now.until ?? 0) < Date.now()) return undefined;
  }
}

/** Publishes the holder's steps after the first `from`; how many have been relayed now. */
function relay(flight: Flight, progress: string | undefined, from: number): number {
  const steps = stepsIn(progress);
  for (const p of steps.slice(from)) flight.publish(p);
  return Math.max(from, steps.length);
}

function stepsIn(progress: string | undefined): ActivationProgress[] {
  if (!progress) return [];
  try {
    const value: unknown = JSON.parse(progress);
    // Written by a holder's holdLease from its own steps; anything else is ignored rather than shown.
    return Array.isArray(value) ? (value as ActivationProgress[]) : [];
  } catch {
    return [];
  }
}
