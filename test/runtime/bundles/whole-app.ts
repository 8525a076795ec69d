// Bundle entry for compose.test.ts: the whole app composed from the environment, as a Lambda bundle would do it.
// Prints one JSON line with the store mode; any failure exits 1 with the message on stderr.
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { compose } from '../../../src/runtime/compose.js';

try {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'error' });
  const app = await compose(config, { logger, env: process.env, transport: { kind: 'http' } });
  await app.slack.init();
  process.stdout.write(`${JSON.stringify({ store: app.store.mode })}\n`);
  await app.close();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
