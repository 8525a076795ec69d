// The CLI's settings, read once per command from its env; apart from access-services.ts so that commands with no
// AWS call (accounts, misses) do not load the Bedrock and STS clients to read them.
import { type Config, ConfigError, loadConfig } from '../../src/config.js';
import { type CliIo, visible } from './io.js';

/** The config from the CLI's env; a bad setting is said on stderr (the caller exits with EXIT.usage). */
export function loadConfigOrSay(io: CliIo): Config | undefined {
  try {
    return loadConfig(io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`${visible(err.message)}\n`);
    return undefined;
  }
}
