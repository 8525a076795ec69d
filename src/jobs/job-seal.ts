// Our functions seal every job they put on the queue: a unique id, the time it was made, and an HMAC over both and
// the body. The worker opens the seal before it runs anything: a job it did not seal, one too old for any real
// retry, or one signed with a rotated-out key after its rotation is refused.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { CLOCK_SKEW_SECONDS, JOB_RETRY_SPAN_SECONDS } from './queue-timing.js';

/** Message attributes carrying the seal. */
export const JOB_SIGNATURE_ATTRIBUTE = 'bd-job-signature';
export const JOB_ID_ATTRIBUTE = 'bd-job-id';
export const JOB_MADE_AT_ATTRIBUTE = 'bd-job-made-at';

export interface JobStamp {
  /** Unique per job made (a retry of the same message keeps it; a replayed copy does too). */
  id: string;
  /** Epoch milliseconds. */
  madeAt: number;
}

export interface JobKeys {
  /** `SLACK_SIGNING_SECRET`: every job is signed with the key derived from it. */
  secret: string;
  /**
   * `SLACK_PREVIOUS_SIGNING_SECRET` and `SLACK_SIGNING_SECRET_ROTATED_AT`: after a rotation, jobs made before
   * `rotatedAt` (epoch ms) by functions still holding the old secret stay acceptable until they age out.
   */
  previous?: { secret: string; rotatedAt: number } | undefined;
}

export type OpenedJob =
  | { ok: true; stamp: JobStamp; key: 'current' | 'previous' }
  | { ok: false; reason: 'signature' | 'age'; problem: string };

export interface JobSigner {
  /** The message attributes for `body`: a fresh id and time unless given, and the signature over all three. */
  seal(body: string, stamp?: Partial<JobStamp>): Record<string, string>;
  /** Checks a message's seal at `now` (epoch ms). */
  open(body: string, attributes: Record<string, string | undefined>, now: number): OpenedJob;
}

export interface JobSignerOptions {
  /** @default JOB_RETRY_SPAN_SECONDS */
  maxAgeSeconds?: number;
  /** @default Date.now */
  now?: () => number;
}

/** A key of its own, derived for this one purpose: the Slack signing secret itself signs nothing but Slack's requests. */
function jobKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('bedrock-doctor job queue v2').digest();
}

function signature(key: Buffer, stamp: JobStamp, body: string): string {
  return createHmac('sha256', key).update(`${stamp.id}\n${stamp.madeAt}\n${body}`, 'utf8').digest('hex');
}

function matches(key: Buffer, stamp: JobStamp, body: string, given: string): boolean {
  return timingSafeEqual(Buffer.from(signature(key, stamp, body), 'hex'), Buffer.from(given, 'hex'));
}

export function createJobSigner(keys: JobKeys | string, options: JobSignerOptions = {}): JobSigner {
  const { secret, previous } = typeof keys === 'string' ? { secret: keys, previous: undefined } : keys;
  const current = jobKey(secret);
  const old = previous ? { key: jobKey(previous.secret), rotatedAt: previous.rotatedAt } : undefined;
  const maxAgeMs = (options.maxAgeSeconds ?? JOB_RETRY_SPAN_SECONDS) * 1000;
  const skewMs = CLOCK_SKEW_SECONDS * 1000;
  const clock = options.now ?? Date.now;
  return {
    seal(body, given = {}) {
      const stamp = { id: given.id ?? randomUUID(), madeAt: given.madeAt ?? clock() };
      return {
        [JOB_ID_ATTRIBUTE]: stamp.id,
        [JOB_MADE_AT_ATTRIBUTE]: String(stamp.madeAt),
        [JOB_SIGNATURE_ATTRIBUTE]: signature(current, stamp, body),
      };
    },
    open(body, attributes, now) {
      const id = attributes[JOB_ID_ATTRIBUTE];
      const madeAtText = attributes[JOB_MADE_AT_ATTRIBUTE];
      const given = attributes[JOB_SIGNATURE_ATTRIBUTE];
      if (!id || !/^[\w-]{1,64}$/.test(id) || !madeAtText || !/^\d{1,15}$/.test(madeAtText)) {
        return { ok: false, reason: 'signature', problem: 'no job id or time' };
      }
      if (!given || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'signature', problem: 'no signature' };
      const stamp = { id, madeAt: Number(madeAtText) };
      let key: 'current' | 'previous';
      if (matches(current, stamp, body, given)) key = 'current';
      else if (old && matches(old.key, stamp, body, given)) {
        // A holder of the old secret could otherwise keep minting jobs: only jobs made before the rotation count.
        if (stamp.madeAt > old.rotatedAt + skewMs) {
          return { ok: false, reason: 'signature', problem: 'signed with the previous key after the rotation' };
        }
        key = 'previous';
      } else return { ok: false, reason: 'signature', problem: 'wrong signature' };
      if (now - stamp.madeAt > maxAgeMs) {
        return { ok: false, reason: 'age', problem: `made ${Math.round((now - stamp.madeAt) / 1000)} s ago` };
      }
      if (stamp.madeAt - now > skewMs) return { ok: false, reason: 'age', problem: 'made in the future' };
      return { ok: true, stamp, key };
    },
  };
}
