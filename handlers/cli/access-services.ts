// Shared by the AWS subcommands: config from the CLI's env, services built once, closed when the command ends.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isAwsCallError } from '../../src/access/aws-call-error.js';
import type { Config } from '../../src/config.js';
import { ErrorCode, isUserFacingError, messageOf, type UserFacingError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { accountDirectoryFor } from '../../src/runtime/account-directory.js';
import type { AccessServices } from '../../src/runtime/compose-access.js';
import { createAccessServices } from '../../src/runtime/compose-access.js';
import { openStore, type Store, storeModeOf } from '../../src/store/open-store.js';
import { type CliIo, EXIT, visible } from './io.js';
import { loadConfigOrSay } from './load-config.js';

/** Runs `body` with services for this env; prints config and user errors politely and maps them to exit codes. */
export async function withAccessServices(
  io: CliIo,
  body: (services: AccessServices, config: Config) => Promise<number>,
  options: { lease?: boolean } = {},
): Promise<number> {
  const config = loadConfigOrSay(io);
  if (!config) return EXIT.usage;
  // Activations take the state store's lease, so a CLI run and the bot (or two CLI runs) never both activate. The
  // store also holds the account registry, read here unless BEDROCK_DOCTOR_ACCOUNTS names the accounts.
  const store = options.lease || registryInStore(config) ? await openStoreOrNote(config, io, options) : undefined;
  const services = createAccessServices(config, {
    env: io.env,
    lease: store?.lease,
    accounts: accountDirectoryFor(config, store?.accounts),
  });
  try {
    return await body(services, config);
  } catch (err) {
    if (isUserFacingError(err)) {
      io.stderr.write(`${visible(err.message)}\n`);
      return exitCodeFor(err);
    }
    throw err;
  } finally {
    services.close();
    await store?.close();
  }
}

/** The stored registry is worth opening the store for: an external table, or an embedded folder that exists. */
function registryInStore(config: Config): boolean {
  if (config.accountsFrom) return false;
  return storeModeOf(config) === 'external' || existsSync(join(config.store.dataDir, 'dynamodb'));
}

/** The store for its lease and registry; when it cannot be opened (an embedded folder in use), say so, go on without. */
async function openStoreOrNote(config: Config, io: CliIo, options: { lease?: boolean }): Promise<Store | undefined> {
  try {
    return await openStore(config, { logger: silentLogger });
  } catch (err) {
    const lost = [
      ...(options.lease ? ['this activation is not coordinated with activations in other processes'] : []),
      ...(registryInStore(config)
        ? ['the stored account registry is not read (only the default account is known)']
        : []),
    ];
    io.stderr.write(`Note: the state store could not be opened (${messageOf(err)}); ` + `${lost.join('; ')}.\n`);
    return undefined;
  }
}

/**
 * 2 only for what the person typed or configured (README: "2 usage error"); anything AWS answered — including a
 * `ValidationException`, which the activator reports with the input code — is a failure of the run (1).
 */
export function exitCodeFor(err: UserFacingError): number {
  if (isAwsCallError(err.cause)) return EXIT.failed;
  return USAGE_CODES.has(err.code) ? EXIT.usage : EXIT.failed;
}

const USAGE_CODES: ReadonlySet<string> = new Set([
  ErrorCode.InvalidInput,
  ErrorCode.UnknownAccount,
  ErrorCode.RegionNotAllowed,
]);

export function splitList(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

/**
 * Parses `<model> [options]` for the AWS subcommands. Prints the problem and the usage and returns undefined when the
 * arguments do not fit, so the command can exit with EXIT.usage.
 */
export function parseModelArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  io: CliIo,
  usage: string,
  options: O,
) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>>;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options });
  } catch (err) {
    io.stderr.write(`${visible(messageOf(err))}\n${usage}`);
    return undefined;
  }
  const [modelRef, ...extra] = parsed.positionals;
  if (!modelRef || extra.length > 0) {
    io.stderr.write(usage);
    return undefined;
  }
  return { modelRef, values: parsed.values };
}
