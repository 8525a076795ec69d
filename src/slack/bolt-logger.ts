// Bolt and the Web API client log through our structured logger, so their lines are JSON and redacted too.
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../log.js';

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => logger.debug(join(msg), { source: 'bolt' }),
    info: (...msg: unknown[]) => logger.info(join(msg), { source: 'bolt' }),
    warn: (...msg: unknown[]) => logger.warn(join(msg), { source: 'bolt' }),
    error: (...msg: unknown[]) => logger.error(join(msg), { source: 'bolt' }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
