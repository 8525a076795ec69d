// Bolt and the Web API client log through our structured logger, so their lines are JSON and redacted too. At debug
// Bolt and the Socket Mode client dump whole payloads (the Lambda event with its signature and body, every WebSocket
// message, every ack); those dumps are cut off before they reach the logger, whatever the level.
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../log.js';

const RANK: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

/**
 * Adapts our logger to Bolt's interface. Messages below `level` are dropped before they are formatted: Bolt logs
 * several debug lines per request, and formatting them would cost more than the request itself.
 */
export function boltLogger(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error' = 'info'): BoltLogger {
  let min = RANK[level as LogLevel];
  let current = level as LogLevel;
  const join = (msg: unknown[]) =>
    withholdPayload(msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : '{')).join(' '));
  const at =
    (l: LogLevel, write: (text: string) => void) =>
    (...msg: unknown[]) => {
      if (RANK[l] >= min) write(join(msg));
    };
  return {
    debug: at(LogLevel.DEBUG, (m) => logger.debug(m, { source: 'bolt' })),
    info: at(LogLevel.INFO, (m) => logger.info(m, { source: 'bolt' })),
    warn: at(LogLevel.WARN, (m) => logger.warn(m, { source: 'bolt' })),
    error: at(LogLevel.ERROR, (m) => logger.error(m, { source: 'bolt' })),
    setLevel: (l: LogLevel) => {
      current = l;
      min = RANK[l];
    },
    getLevel: () => current,
    setName: () => {},
  };
}

/**
 * Bolt's line with any payload it carries cut off: a payload is JSON, so everything from the first `{` or `[` on
 * (the event, the request body, the ack body) is dropped. What remains says what happened, never what was sent.
 */
export function withholdPayload(line: string): string {
  const start = line.search(/[{[]/);
  if (start < 0) return line;
  return `${line.slice(0, start).trimEnd()} [payload withheld]`.trimStart();
}
