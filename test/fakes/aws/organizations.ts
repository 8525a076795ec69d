// AWS Organizations (AWS JSON 1.1, `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`): one organisation of
// OUs and accounts, read by ListAccounts, ListAccountsForParent and ListOrganizationalUnitsForParent, paginated.
import { type Caller, FakeServiceError } from './protocol.js';
import type { FakeAwsWorld } from './world.js';

export interface FakeOrgAccount {
  id: string;
  name: string;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE (`State` says the same, with CLOSED after closure). */
  status: string;
  parentId: string;
}

export class FakeOrganization {
  readonly id = 'o-a1b2c3d4e5';
  readonly rootId = 'r-a1b2';
  readonly ous = new Map<string, { id: string; name: string; parentId: string }>();
  readonly accounts = new Map<string, FakeOrgAccount>();
  /** Items per page unless MaxResults asks for fewer: small, so callers must follow NextToken. */
  pageSize = 2;
  /** The account that may read the organisation (its management account); unset: there is no organisation. */
  managementAccountId: string | undefined;

  create(managementAccountId: string): void {
    this.managementAccountId = managementAccountId;
    this.addAccount(managementAccountId, 'Management', this.rootId);
  }

  addOu(parentId: string, name: string): string {
    const id = `ou-a1b2-${String(this.ous.size + 1).padStart(8, '0')}`;
    this.ous.set(id, { id, name, parentId });
    return id;
  }

  addAccount(id: string, name: string, parentId: string, status = 'ACTIVE'): void {
    this.accounts.set(id, { id, name, status, parentId });
  }

  /** The account leaves (or is removed from) the organisation. */
  remove(id: string): void {
    this.accounts.delete(id);
  }
}

const states = new WeakMap<FakeAwsWorld, FakeOrganization>();

export function organizationOf(world: FakeAwsWorld): FakeOrganization {
  let state = states.get(world);
  if (!state) {
    state = new FakeOrganization();
    states.set(world, state);
  }
  return state;
}

export function handleOrganizations(
  world: FakeAwsWorld,
  caller: Caller,
  operation: string,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const org = organizationOf(world);
  const denied = world.authorize(caller.credential.principal, caller.arn, `organizations:${operation}`, '*');
  if (denied) throw new FakeServiceError('AccessDeniedException', 400, denied, 'Message');
  if (!org.managementAccountId) {
    throw new FakeServiceError(
      'AWSOrganizationsNotInUseException',
      400,
      'Your account is not a member of an organization.',
      'Message',
    );
  }
  if (caller.credential.principal.accountId !== org.managementAccountId) {
    throw new FakeServiceError(
      'AccessDeniedException',
      400,
      "You don't have permissions to access this resource.",
      'Message',
    );
  }
  const parentId = typeof input.ParentId === 'string' ? input.ParentId : undefined;
  if (operation !== 'ListAccounts' && (!parentId || (parentId !== org.rootId && !org.ous.has(parentId)))) {
    throw new FakeServiceError(
      'ParentNotFoundException',
      400,
      "We can't find a root or OU with the ParentId that you specified.",
      'Message',
    );
  }
  const accounts = [...org.accounts.values()].sort((a, b) => a.id.localeCompare(b.id));
  switch (operation) {
    case 'ListAccounts':
      return page(
        org,
        input,
        accounts.map((a) => accountShape(org, a)),
        'Accounts',
      );
    case 'ListAccountsForParent':
      return page(
        org,
        input,
        accounts.filter((a) => a.parentId === parentId).map((a) => accountShape(org, a)),
        'Accounts',
      );
    case 'ListOrganizationalUnitsForParent': {
      const ous = [...org.ous.values()].filter((ou) => ou.parentId === parentId);
      const shaped = ous.map((ou) => ({
        Id: ou.id,
        Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ou.id}`,
        Name: ou.name,
      }));
      return page(org, input, shaped, 'OrganizationalUnits');
    }
    default:
      throw new FakeServiceError('InvalidInputException', 400, `Unsupported: ${operation}`, 'Message');
  }
}

function page(org: FakeOrganization, input: Record<string, unknown>, items: unknown[], key: string) {
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new FakeServiceError('InvalidInputException', 400, 'The provided token is not valid.', 'Message');
  }
  const size = Math.min(org.pageSize, typeof input.MaxResults === 'number' ? input.MaxResults : org.pageSize);
  const end = start + size;
  return { [key]: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

function accountShape(org: FakeOrganization, a: FakeOrgAccount) {
  return {
    Id: a.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
    Email: `aws+${a.id}@example.com`,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: 'CREATED',
    JoinedTimestamp: 1_700_000_000,
  };
}
