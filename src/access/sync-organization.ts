// `accounts sync --from-organizations`: the organisation's active accounts registered with the member stack's role
// names. What people set by hand on an account (alias, regions, approvers, approver channel) survives every sync.
import type { AccountConfig } from '../config.js';
import type { RegistryAuditEvent, RegistryEntry } from './account-registry.js';
import { applyChange, type ManageDeps, planRemoval, type RegistryChange, sameAccount } from './manage-accounts.js';

export interface OrganizationAccount {
  id: string;
  name: string;
  /** ListAccounts' `State` (or `Status`): ACTIVE, SUSPENDED, PENDING_CLOSURE …; only ACTIVE ones are registered. */
  status: string;
}

/** The Organizations calls the sync makes, each returning every page. */
export interface OrganizationDirectory {
  listAccounts(): Promise<OrganizationAccount[]>;
  listAccountsForParent(parentId: string): Promise<OrganizationAccount[]>;
  listChildOus(parentId: string): Promise<string[]>;
}

export interface SyncOptions {
  /** OUs (and their child OUs) to register; none: the whole organisation. */
  ous: string[];
  /** Named in the audit event; `roleArnsFor` gives the stage's role names. */
  stage: string;
  /** The member stack's read and activation roles in an account (the deployment's naming convention). */
  roleArnsFor(accountId: string): { readRoleArn: string; activationRoleArn: string };
  /** Regions of an account seen for the first time. */
  regions: string[];
  /** The organisation-wide ExternalId; an account keeps its own when this is not given. */
  externalId?: string;
  actor: string;
}

export async function syncFromOrganizations(
  deps: ManageDeps & { organizations: OrganizationDirectory },
  options: SyncOptions,
): Promise<RegistryAuditEvent> {
  const org = await deps.organizations.listAccounts();
  const inScope = options.ous.length > 0 ? await accountsUnder(deps.organizations, options.ous) : org;
  const existing = await deps.registry.entries();
  const at = (deps.now?.() ?? new Date()).toISOString();
  const change: RegistryChange = { entries: [], added: [], updated: [], removed: [] };
  const byId = new Map(existing.map((e) => [e.account.id, e]));
  const aliases = new Set(existing.filter((e) => e.status === 'active').map((e) => e.account.alias));
  for (const member of inScope.filter((a) => a.status === 'ACTIVE')) {
    const previous = byId.get(member.id);
    const account = registered(member, previous, options, aliases);
    aliases.add(account.alias);
    const current = previous?.status === 'active';
    if (current && previous?.source === 'organizations' && sameAccount(previous.account, account)) continue;
    change.entries.push({ account, source: 'organizations', status: 'active', updatedAt: at });
    (current ? change.updated : change.added).push(member.id);
  }
  // Gone from the organisation, or no longer active there: a synced account is retired. One moved to another OU is
  // still a member and stays.
  const activeInOrg = new Set(org.filter((a) => a.status === 'ACTIVE').map((a) => a.id));
  const leaving = existing.filter(
    (e) => e.source === 'organizations' && e.status === 'active' && !activeInOrg.has(e.account.id),
  );
  const retired = planRemoval(leaving, at);
  change.entries.push(...retired.entries);
  change.removed.push(...retired.removed);
  const scope = options.ous.length > 0 ? `OUs ${options.ous.join(', ')}` : 'the whole organisation';
  return applyChange(deps, existing, change, {
    actor: options.actor,
    action: 'accounts_synced',
    note: `from AWS Organizations (${scope}, stage ${options.stage})`,
  });
}

/** Accounts directly in each OU and in every OU below it. */
async function accountsUnder(org: OrganizationDirectory, ous: string[]): Promise<OrganizationAccount[]> {
  const seen = new Set<string>();
  const found = new Map<string, OrganizationAccount>();
  const pending = [...ous];
  for (let ou = pending.shift(); ou; ou = pending.shift()) {
    if (seen.has(ou)) continue;
    seen.add(ou);
    const [accounts, children] = await Promise.all([org.listAccountsForParent(ou), org.listChildOus(ou)]);
    for (const a of accounts) found.set(a.id, a);
    pending.push(...children);
  }
  return [...found.values()];
}

function registered(
  member: OrganizationAccount,
  previous: RegistryEntry | undefined,
  options: SyncOptions,
  aliases: ReadonlySet<string>,
): AccountConfig {
  const kept = previous?.account;
  const externalId = options.externalId ?? kept?.externalId;
  return {
    id: member.id,
    alias: kept?.alias ?? aliasFor(member, aliases),
    regions: kept?.regions ?? options.regions,
    ...options.roleArnsFor(member.id),
    ...(externalId ? { externalId } : {}),
    ...(kept?.approverChannel ? { approverChannel: kept.approverChannel } : {}),
    ...(kept?.approvers ? { approvers: kept.approvers } : {}),
    ...(kept?.default ? { default: true } : {}),
  };
}

/** The account's name as people type it (`Data Science` → `data-science`); made unique with the id's end. */
function aliasFor(member: OrganizationAccount, taken: ReadonlySet<string>): string {
  const slug = member.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  for (const candidate of [slug, `${slug}-${member.id.slice(-4)}`, member.id]) {
    if (candidate && !taken.has(candidate)) return candidate;
  }
  return member.id;
}
