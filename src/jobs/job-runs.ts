// Port: what the worker remembers of each sealed job it ran, by job id, so a copy of a job (a replay, or an SQS
// SendMessage that was retried) is answered with the first run's outcome instead of running again, perhaps with
// different rights by then. A retry of the same SQS message (same message id) runs again: that is SQS's retry.

export type JobOutcome = 'running' | 'done' | 'failed';

export type JobRunClaim =
  | { first: true }
  /** The job was first claimed by `messageId`; `outcome` is what that run came to (so far). */
  | { first: false; messageId: string; outcome: JobOutcome };

export interface JobRuns {
  /** Claims `jobId` for `messageId`, remembered for `keepSeconds`; or says who claimed it first. */
  begin(jobId: string, messageId: string, keepSeconds: number): Promise<JobRunClaim>;
  /** Records how the claimed run ended. */
  finish(jobId: string, outcome: Exclude<JobOutcome, 'running'>): Promise<void>;
}
