// One logger per cold start, but every line carries the current invocation's Lambda request id: the id lives in an
// AsyncLocalStorage for the duration of the invocation, so listeners deep inside Bolt need not be handed it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../src/log.js';

export interface InvocationLogging {
  logger: Logger;
  /** Runs `fn` with `fields` (e.g. `{ awsRequestId }`) added to every line it logs, however deep. */
  within<T>(fields: Record<string, unknown>, fn: () => Promise<T>): Promise<T>;
}

export function invocationLogging(base: Logger): InvocationLogging {
  const storage = new AsyncLocalStorage<Record<string, unknown>>();
  const wrap = (logger: Logger): Logger => {
    const add = (fields?: Record<string, unknown>) => ({ ...storage.getStore(), ...fields });
    return {
      debug: (msg, fields) => logger.debug(msg, add(fields)),
      info: (msg, fields) => logger.info(msg, add(fields)),
      warn: (msg, fields) => logger.warn(msg, add(fields)),
      error: (msg, fields) => logger.error(msg, add(fields)),
      child: (fields) => wrap(logger.child(fields)),
    };
  };
  return { logger: wrap(base), within: (fields, fn) => storage.run(fields, fn) };
}
