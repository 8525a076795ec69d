// OrganizationDirectory over the real SDK: every page of ListAccounts, ListAccountsForParent and
// ListOrganizationalUnitsForParent. Only the operator's `accounts sync` builds it: the bot's functions never call it.
import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import type { OrganizationAccount, OrganizationDirectory } from '../access/sync-organization.js';
import { envClientConfig } from './env-client-config.js';

export interface OrganizationsAdapter extends OrganizationDirectory {
  destroy(): void;
}

/** Endpoint (`AWS_ENDPOINT_URL_ORGANIZATIONS`) and static keys from `env`, else the SDK's credential chain. */
export function createOrganizations(env: Record<string, string | undefined>): OrganizationsAdapter {
  // Organizations is a global service answered in us-east-1 (aws partition) whatever AWS_REGION says.
  const client = new OrganizationsClient({ ...envClientConfig(env, 'ORGANIZATIONS'), region: 'us-east-1' });
  // `State` replaces the deprecated `Status` (it adds PENDING_ACTIVATION and CLOSED); either says ACTIVE.
  const accountsOf = async (
    pages: AsyncIterable<{ Accounts?: { Id?: string; Name?: string; Status?: string; State?: string }[] }>,
  ) => {
    const found: OrganizationAccount[] = [];
    for await (const page of pages) {
      for (const a of page.Accounts ?? []) {
        if (a.Id) found.push({ id: a.Id, name: a.Name ?? a.Id, status: a.State ?? a.Status ?? 'UNKNOWN' });
      }
    }
    return found;
  };
  return {
    listAccounts: () => accountsOf(paginateListAccounts({ client }, {})),
    listAccountsForParent: (parentId) => accountsOf(paginateListAccountsForParent({ client }, { ParentId: parentId })),
    async listChildOus(parentId) {
      const ids: string[] = [];
      for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
        for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) ids.push(ou.Id);
      }
      return ids;
    },
    destroy: () => client.destroy(),
  };
}
