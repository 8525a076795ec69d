// Which account and regions a request is about, checked against the registry before any AWS call.
import { type Account, findAccount } from '../config.js';

/** The registry as the helpers below read it: one snapshot per call. */
type Registry = { accounts: readonly Account[] };

import { ErrorCode, UserFacingError } from '../errors.js';
import type { Principal } from './ports.js';

export interface Target {
  account: Account;
  regions: string[];
  /**
   * Set when the model reference names an account but the chosen account's id is not configured (the default
   * account, learnt from the credentials): the caller must confirm the credentials' account is this one before
   * reading anything, or refuse with `notManagedAccount`.
   */
  expectAccountId?: string;
}

/**
 * The account and regions to use. A model ARN that names an account or a region decides them (it was pasted from there): a
 * registered account is used, an unregistered one is refused before any AWS call, and an ARN that disagrees with
 * `--account`/`--region` is a usage error naming both.
 */
export function resolveTarget(
  config: Registry,
  accountRef: string | undefined,
  regions: string[] | undefined,
  arnRegion?: string,
  arnAccount?: string,
): Target {
  const typed = accountRef?.trim() || undefined;
  const account = typed ? findAccount(config, typed) : accountNamedBy(config, arnAccount);
  if (!account) {
    if (!typed && arnAccount) throw notManagedAccount(arnAccount, config);
    const known = config.accounts.map((a) => (a.id ? `${a.alias} (${a.id})` : a.alias)).join(', ');
    throw new UserFacingError(
      ErrorCode.UnknownAccount,
      `I don't know an account "${accountRef}". Known accounts: ${known}.`,
    );
  }
  if (typed && arnAccount && account.id && account.id !== arnAccount) {
    throw new UserFacingError(
      ErrorCode.InvalidInput,
      `The model ARN names account ${arnAccount}, but --account ${typed} is ${account.alias} (${account.id}). ` +
        'Give one of them, or make them agree.',
    );
  }
  const wanted = regions?.length ? [...new Set(regions.map((r) => r.trim()))] : undefined;
  if (arnRegion && wanted && (wanted.length !== 1 || wanted[0] !== arnRegion)) {
    throw new UserFacingError(
      ErrorCode.InvalidInput,
      `The model ARN names region ${arnRegion}, but the region asked for is ${wanted.join(', ')}. ` +
        'Give one of them, or make them agree.',
    );
  }
  if (arnRegion && !wanted && !account.regions.includes(arnRegion)) {
    throw new UserFacingError(
      ErrorCode.NotManaged,
      `The model ARN names region ${arnRegion}, which is not enabled for account ${account.alias}. ` +
        `Its regions are: ${account.regions.join(', ')}.${account.id ? '' : ALLOW_MORE}`,
    );
  }
  const chosen = wanted ?? (arnRegion ? [arnRegion] : account.regions);
  const notAllowed = chosen.filter((r) => !account.regions.includes(r));
  if (notAllowed.length > 0) {
    throw new UserFacingError(
      ErrorCode.RegionNotAllowed,
      `Region ${notAllowed.join(', ')} is not enabled for account ${account.alias}. ` +
        `Its regions are: ${account.regions.join(', ')}.${account.id ? '' : ALLOW_MORE}`,
    );
  }
  const target: Target = { account, regions: chosen };
  if (arnAccount && !account.id) target.expectAccountId = arnAccount;
  return target;
}

const ALLOW_MORE = ' Set BEDROCK_DOCTOR_REGIONS (or register the account) to allow more.';

/** The registered account with this id; with no id named, the default. An id-less default may be the one named. */
function accountNamedBy(config: Registry, arnAccount: string | undefined): Account | undefined {
  if (!arnAccount) return findAccount(config, undefined);
  const registered = config.accounts.find((a) => a.id === arnAccount);
  if (registered) return registered;
  const fallback = findAccount(config, undefined);
  // With no registry the default account's id is only known from the credentials: the caller confirms it.
  return fallback && !fallback.id ? fallback : undefined;
}

/** "account … is not managed by this bot": the model lives in an account the bot has no registration for. */
export function notManagedAccount(accountId: string, config: Registry): UserFacingError {
  const known = config.accounts
    .filter((a) => a.id)
    .map((a) => `${a.alias} (${a.id})`)
    .join(', ');
  return new UserFacingError(
    ErrorCode.NotManaged,
    `Cannot use this model ARN: account ${accountId} is not managed by this bot. ` +
      (known ? `Managed accounts: ${known}.` : "It is not the account of the bot's credentials.") +
      ' Register it (bedrock-doctor accounts import, or BEDROCK_DOCTOR_ACCOUNTS) to use it here.',
  );
}

/** The bot reads an account through its read role, or with its own credentials when none is registered. */
export function readPrincipal(account: Account): Principal {
  return account.readRoleArn
    ? { kind: 'role', roleArn: account.readRoleArn, externalId: account.externalId }
    : { kind: 'default' };
}
