// Which account and regions a request is about, checked against the registry before any AWS call.
import { type Account, type Config, findAccount } from '../config.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { Principal } from './ports.js';

export interface Target {
  account: Account;
  regions: string[];
}

export function resolveTarget(
  config: Pick<Config, 'accounts'>,
  accountRef: string | undefined,
  regions: string[] | undefined,
  arnRegion?: string,
): Target {
  const account = findAccount(config, accountRef?.trim() || undefined);
  if (!account) {
    const known = config.accounts.map((a) => (a.id ? `${a.alias} (${a.id})` : a.alias)).join(', ');
    throw new UserFacingError(
      ErrorCode.UnknownAccount,
      `I don't know an account "${accountRef}". Known accounts: ${known}.`,
    );
  }
  const wanted = regions?.length ? [...new Set(regions.map((r) => r.trim()))] : undefined;
  const chosen = wanted ?? (arnRegion && account.regions.includes(arnRegion) ? [arnRegion] : account.regions);
  const notAllowed = chosen.filter((r) => !account.regions.includes(r));
  if (notAllowed.length > 0) {
    throw new UserFacingError(
      ErrorCode.RegionNotAllowed,
      `Region ${notAllowed.join(', ')} is not enabled for account ${account.alias}. ` +
        `Its regions are: ${account.regions.join(', ')}.` +
        (account.id ? '' : ' Set BEDROCK_DOCTOR_REGIONS (or register the account) to allow more.'),
    );
  }
  return { account, regions: chosen };
}

/** The bot reads an account through its read role, or with its own credentials when none is registered. */
export function readPrincipal(account: Account): Principal {
  return account.readRoleArn
    ? { kind: 'role', roleArn: account.readRoleArn, externalId: account.externalId }
    : { kind: 'default' };
}
