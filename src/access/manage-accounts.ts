// The operator's changes to the stored registry: import a file, remove one account, apply the deploy's seed file.
// Each writes only what changed, checks the registry as a whole first, and leaves one audit event.
import { createHash } from 'node:crypto';
import { type AccountConfig, accountSchema, parseAccounts } from '../config.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { AccountRegistry, AccountSource, RegistryAuditEvent, RegistryEntry } from './account-registry.js';

export interface RegistryChange {
  entries: RegistryEntry[];
  added: string[];
  updated: string[];
  removed: string[];
}

export interface ManageDeps {
  registry: AccountRegistry;
  now?: () => Date;
}

/** Puts `accounts` as whole records (what the file says is what is kept); unchanged ones are left alone. */
export function planUpsert(
  existing: readonly RegistryEntry[],
  accounts: readonly AccountConfig[],
  source: AccountSource,
  at: string,
): RegistryChange {
  const byId = new Map(existing.map((e) => [e.account.id, e]));
  const change: RegistryChange = { entries: [], added: [], updated: [], removed: [] };
  for (const account of accounts) {
    const previous = byId.get(account.id);
    // An imported file edits a synced account (alias, approvers …) but it stays the organisation's: the next sync
    // keeps the edits, and still retires the account once it leaves the organisation.
    const kept = previous?.status === 'active' && previous.source === 'organizations' ? 'organizations' : source;
    if (previous?.status === 'active' && previous.source === kept && sameAccount(previous.account, account)) continue;
    change.entries.push({ account, source: kept, status: 'active', updatedAt: at });
    (previous?.status === 'active' ? change.updated : change.added).push(account.id);
  }
  return change;
}

/** Marks these entries removed (kept, so their open requests are refused by name rather than forgotten). */
export function planRemoval(entries: readonly RegistryEntry[], at: string): RegistryChange {
  return {
    entries: entries.map((e) => ({ ...e, status: 'removed', updatedAt: at, removedAt: at })),
    added: [],
    updated: [],
    removed: entries.map((e) => e.account.id),
  };
}

/** The registry after `change` must still be one a bot can serve: unique aliases, at most one default. */
export function checkRegistry(existing: readonly RegistryEntry[], change: RegistryChange): void {
  const after = new Map(existing.map((e) => [e.account.id, e]));
  for (const e of change.entries) after.set(e.account.id, e);
  const active = [...after.values()].filter((e) => e.status === 'active').map((e) => e.account);
  const problems: string[] = [];
  // Every changed record must read back: one invalid record written would fail every later read of the registry.
  for (const e of change.entries) {
    const checked = accountSchema.safeParse(e.account);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      problems.push(`account ${e.account.id}: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
    }
  }
  const byAlias = new Map<string, string[]>();
  for (const a of active) byAlias.set(a.alias, [...(byAlias.get(a.alias) ?? []), a.id]);
  for (const [alias, ids] of byAlias) {
    if (ids.length > 1) problems.push(`alias "${alias}" would name ${ids.join(' and ')}; aliases must be unique`);
  }
  const defaults = active.filter((a) => a.default).map((a) => a.id);
  if (defaults.length > 1) problems.push(`${defaults.join(', ')} would all be "default": mark at most one`);
  if (problems.length > 0) {
    throw new UserFacingError(ErrorCode.InvalidInput, `Nothing was changed: ${problems.join('; ')}.`);
  }
}

export async function applyChange(
  deps: ManageDeps,
  existing: readonly RegistryEntry[],
  change: RegistryChange,
  event: Pick<RegistryAuditEvent, 'actor' | 'action' | 'note'>,
): Promise<RegistryAuditEvent> {
  checkRegistry(existing, change);
  const { added, updated, removed } = change;
  return deps.registry.write(change.entries, { ...event, added, updated, removed });
}

/** `accounts import <file>`: the file's accounts are added or replace the stored ones of the same id. */
export async function importAccounts(
  deps: ManageDeps,
  input: { text: string; source: string; actor: string },
): Promise<RegistryAuditEvent> {
  const accounts = parseAccounts(input.text, input.source);
  const existing = await deps.registry.entries();
  const change = planUpsert(existing, accounts, 'import', isoNow(deps));
  return applyChange(deps, existing, change, {
    actor: input.actor,
    action: 'accounts_imported',
    note: `from ${input.source}`,
  });
}

/** `accounts remove <id|alias>`. */
export async function removeAccount(
  deps: ManageDeps,
  input: { idOrAlias: string; actor: string },
): Promise<RegistryAuditEvent> {
  const existing = await deps.registry.entries();
  const entry = existing.find(
    (e) => e.status === 'active' && (e.account.id === input.idOrAlias || e.account.alias === input.idOrAlias),
  );
  if (!entry) {
    throw new UserFacingError(
      ErrorCode.UnknownAccount,
      `No registered account has the id or alias "${input.idOrAlias}" (see bedrock-doctor accounts list).`,
    );
  }
  const change = planRemoval([entry], isoNow(deps));
  return applyChange(deps, existing, change, { actor: input.actor, action: 'account_removed' });
}

const SEED_MARKER = 'seed';

/**
 * The deploy's accounts file (`-c accountsFile`), applied when its content differs from the last one applied: its
 * accounts are put, and accounts an earlier seed added that it no longer lists are removed. Cheap when unchanged (one
 * read), so the reconciler runs it every time. Returns the audit event, or undefined when nothing was to be done.
 */
export async function seedAccounts(
  deps: ManageDeps,
  input: { text: string; source: string; actor: string },
): Promise<RegistryAuditEvent | undefined> {
  const digest = createHash('sha256').update(input.text).digest('hex');
  if ((await deps.registry.readMarker(SEED_MARKER)) === digest) return undefined;
  const accounts = parseAccounts(input.text, input.source);
  const existing = await deps.registry.entries();
  const at = isoNow(deps);
  const listed = new Set(accounts.map((a) => a.id));
  const upsert = planUpsert(existing, accounts, 'seed', at);
  const dropped = planRemoval(
    existing.filter((e) => e.source === 'seed' && e.status === 'active' && !listed.has(e.account.id)),
    at,
  );
  const change = { ...upsert, entries: [...upsert.entries, ...dropped.entries], removed: dropped.removed };
  const event = await applyChange(deps, existing, change, {
    actor: input.actor,
    action: 'accounts_seeded',
    note: `from ${input.source}`,
  });
  await deps.registry.writeMarker(SEED_MARKER, digest);
  return event;
}

/** Field order does not matter; absent and undefined are the same. */
export function sameAccount(a: AccountConfig, b: AccountConfig): boolean {
  return canonical(a) === canonical(b);
}

function canonical(account: AccountConfig): string {
  const record = account as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return JSON.stringify(keys.map((k) => [k, record[k]]));
}

function isoNow(deps: ManageDeps): string {
  return (deps.now?.() ?? new Date()).toISOString();
}
