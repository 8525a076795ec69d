// What every listener may use. Listeners parse, call a pure use case or enqueue a job, and render; nothing else.

import type { RateLimiter } from '../access/rate-limit.js';
import type { Diagnosis } from '../diagnosis/types.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../log.js';
import type { ModalAccount } from './blocks/request-modal.js';
import type { MissDeps } from './held-pastes.js';
import type { ResponseUrlCheck } from './response-url.js';
import type { SlackJob } from './slack-jobs.js';

export interface ListenerDeps {
  diagnose: (text: string) => Diagnosis;
  jobs: JobQueue<SlackJob>;
  logger: Logger;
  /** Which response URLs may be posted to; listeners drop any other (the answer goes through the Web API). */
  allowsResponseUrl: ResponseUrlCheck;
  /** A short id shown to the user and written to the log, to find one interaction's log lines. */
  newReference: () => string;
  /** Region named in commands when the user names none (the default account's first region). */
  defaultRegion: string;
  /** Each person's share of status checks (STATUS_CHECKS_PER_MINUTE). */
  statusChecks: RateLimiter;
  /** The approval flow's accounts to choose from (the registry, read when asked); absent when the flow is not set up. */
  approval?: { accounts(): Promise<ModalAccount[]> };
  /** "Not what happened?" on diagnosis cards; absent where no store keeps misses (the card has no such button). */
  misses?: MissDeps;
}
