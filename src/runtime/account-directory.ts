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
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

export function accountDirectoryFor(
  config: Pick<Config, 'accounts' | 'accountsFrom'>,
  registry: Pick<AccountRegistry, 'entries'> | undefined,
  options: { ttlMs?: number; now?: () => number } = {},
): AccountDirectory {
  if (config.accountsFrom || !registry) return staticAccounts(config.accounts);
  // config.accounts is then the one default account: served while nothing is registered.
  return cachedAccounts(registeredAccounts(registry, config.accounts), options);
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
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
