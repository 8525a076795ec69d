// The account registry port: which accounts the bot serves. Use cases read an AccountDirectory (a snapshot per call,
// cached briefly); the operator's commands (import, remove, sync) change an AccountRegistry, stored in the state table.
import type { Account, AccountConfig } from '../config.js';

/** What use cases read instead of a fixed list: the accounts served now (removed ones left out). */
export interface AccountDirectory {
  list(): Promise<readonly Account[]>;
}

/** Where an account came from: `accounts import`, `accounts sync --from-organizations`, or the deploy's seed file. */
export type AccountSource = 'import' | 'organizations' | 'seed';

/** One registered account as stored: removed accounts stay, marked, so their open requests are refused by name. */
export interface RegistryEntry {
  account: AccountConfig;
  source: AccountSource;
  status: 'active' | 'removed';
  updatedAt: string;
  removedAt?: string;
}

/** One audit event of the registry: who changed it, how, and which accounts. */
export interface RegistryAuditEvent {
  id: string;
  at: string;
  actor: string;
  action: 'accounts_imported' | 'account_removed' | 'accounts_synced' | 'accounts_seeded';
  added: string[];
  updated: string[];
  removed: string[];
  note?: string;
}

export interface AccountRegistry {
  /** Every entry, removed ones included. */
  entries(): Promise<RegistryEntry[]>;
  /** Writes the changed entries (only those) and one audit event for the change. */
  write(changed: RegistryEntry[], event: Omit<RegistryAuditEvent, 'id' | 'at'>): Promise<RegistryAuditEvent>;
  /** The audit trail, oldest first. */
  history(): Promise<RegistryAuditEvent[]>;
  /** A value the seed import keeps to know which seed file it applied last. */
  readMarker(name: string): Promise<string | undefined>;
  writeMarker(name: string, value: string): Promise<void>;
}

/** A fixed list (BEDROCK_DOCTOR_ACCOUNTS, the default account, tests). */
export function staticAccounts(accounts: readonly Account[]): AccountDirectory {
  return { list: async () => accounts };
}

/**
 * The registry's active accounts; `fallback` (the default account) while none is active. A registry that was never
 * written serves `unwritten` instead when given: the deploy's seed file, until the reconciler has imported it.
 */
export function registeredAccounts(
  registry: Pick<AccountRegistry, 'entries'>,
  fallback: readonly Account[],
  unwritten?: () => readonly Account[],
) {
  return {
    async list(): Promise<readonly Account[]> {
      const entries = await registry.entries();
      if (entries.length === 0 && unwritten) return unwritten();
      const active = entries.filter((e) => e.status === 'active').map((e) => e.account);
      return active.length > 0 ? active : fallback;
    },
  } satisfies AccountDirectory;
}

/** How long a running bot may serve a registry read before reading again: changes show within a minute. */
export const ACCOUNTS_CACHE_MS = 30_000;

/** Shares one read between concurrent callers and keeps it `ttlMs`; a failed read is not kept. */
export function cachedAccounts(
  inner: AccountDirectory,
  options: { ttlMs?: number; now?: () => number } = {},
): AccountDirectory {
  const ttlMs = options.ttlMs ?? ACCOUNTS_CACHE_MS;
  const now = options.now ?? Date.now;
  let held: { at: number; list: Promise<readonly Account[]> } | undefined;
  return {
    list() {
      if (held && now() - held.at < ttlMs) return held.list;
      const read = { at: now(), list: inner.list() };
      held = read;
      read.list.catch(() => {
        if (held === read) held = undefined;
      });
      return read.list;
    },
  };
}

/** `{ accounts }` for the pure helpers that take a snapshot (findAccount, resolveTarget). */
export async function snapshotOf(directory: AccountDirectory): Promise<{ accounts: readonly Account[] }> {
  return { accounts: await directory.list() };
}
