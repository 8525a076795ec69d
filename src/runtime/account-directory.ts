// Which registry a process serves: BEDROCK_DOCTOR_ACCOUNTS(_FILE) when set (the whole registry, fixed), else the
// stored one, read through a short cache so a running bot sees `accounts import/remove/sync` within a minute.

import { readFileSync } from 'node:fs';
import {
  type AccountDirectory,
  type AccountRegistry,
  cachedAccounts,
  registeredAccounts,
  staticAccounts,
} from '../access/account-registry.js';
import { seedAccounts } from '../access/manage-accounts.js';
import { type Account, type Config, parseAccounts } from '../config.js';
import { messageOf } from '../errors.js';
import type { Logger } from '../log.js';

export function accountDirectoryFor(
  config: Pick<Config, 'accounts' | 'accountsFrom' | 'accountsSeedFile'>,
  registry: Pick<AccountRegistry, 'entries'> | undefined,
  options: { ttlMs?: number; now?: () => number; readFile?: (path: string) => string } = {},
): AccountDirectory {
  if (config.accountsFrom || !registry) return staticAccounts(config.accounts);
  // config.accounts is then the one default account: served while no account is active. Until the reconciler first
  // imports the seed file (up to a minute after a deploy or an upgrade), the file itself is served, so a request
  // approved meanwhile is not failed for an account that is about to be registered.
  const seedFile = config.accountsSeedFile;
  const unwritten = seedFile ? () => seedOrDefault(seedFile, config.accounts, options.readFile) : undefined;
  return cachedAccounts(registeredAccounts(registry, config.accounts, unwritten), options);
}

function seedOrDefault(
  file: string,
  fallback: Account[],
  readFile = (p: string) => readFileSync(p, 'utf8'),
): Account[] {
  try {
    return parseAccounts(readFile(file), file);
  } catch {
    // The reconciler logs why (applyAccountsSeed); serving the default account is what an empty registry does anyway.
    return fallback;
  }
}

/**
 * BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE (the deploy's `-c accountsFile`, shipped in a layer): imported when it changed.
 * A broken file is logged and skipped: the reconciler's other work must not stop for it.
 */
export async function applyAccountsSeed(
  config: Pick<Config, 'accountsSeedFile'>,
  registry: AccountRegistry,
  deps: { logger: Logger; readFile?: (path: string) => string },
): Promise<void> {
  const file = config.accountsSeedFile;
  if (!file) return;
  try {
    const text = (deps.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(file);
    const event = await seedAccounts({ registry }, { text, source: file, actor: 'deploy (accounts seed file)' });
    if (event) {
      deps.logger.info('account registry seeded', {
        added: event.added.length,
        updated: event.updated.length,
        removed: event.removed.length,
      });
    }
  } catch (err) {
    deps.logger.error('account seed file not applied', {
      file,
      error: messageOf(err),
    });
  }
}
