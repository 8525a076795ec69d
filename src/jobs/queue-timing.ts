// The job queue's timings, in one place for both sides: the stack deploys the queue and the worker with them, and
// the worker refuses a job older than any real job could be. Plain numbers, so the Lambda bundles need no CDK.

/** The worker function's timeout. */
export const WORKER_TIMEOUT_SECONDS = 60;
/** AWS's advice for SQS event sources: at least six times the function timeout, so a retry never overlaps a run. */
export const QUEUE_VISIBILITY_TIMEOUT_SECONDS = WORKER_TIMEOUT_SECONDS * 6;
/** Receives before a message moves to the DLQ. */
export const MAX_RECEIVE_COUNT = 5;
/** SQS's longest per-message delay; a settling activation continues as a new, delayed message (never longer). */
export const MAX_DELAY_SECONDS = 900;
/** Clocks of two functions may disagree a little; a job is never refused over that. */
export const CLOCK_SKEW_SECONDS = 300;

/**
 * The longest a real job can live, from the moment a function made it to its last receive: the longest delay, then
 * every receive's visibility timeout. A settling activation is re-enqueued as a new job (its own id and time), so
 * each continuation starts its own span. Older than this, a job can only be a copy someone kept: it is refused.
 */
export const JOB_RETRY_SPAN_SECONDS =
  MAX_DELAY_SECONDS + QUEUE_VISIBILITY_TIMEOUT_SECONDS * MAX_RECEIVE_COUNT + CLOCK_SKEW_SECONDS;
