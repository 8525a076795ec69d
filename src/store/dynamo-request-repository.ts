// The request repository over DynamoDB with dynamoose, assembled from one module per concern in ./repository/:
// opening and joining, transitions, progress and approval-card updates, queries, the audit trail and the delivery
// ledger. Each takes the shared StoreContext and implements its slice of the port; a new concern (activation
// leases, say) is one more module and one more line here.
import type { RequestRepository } from '../access/request-repository.js';
import type { StoreModels } from './models.js';
import { createAuditTrail } from './repository/audit.js';
import { createStoreContext, type RepositoryOptions } from './repository/context.js';
import { createDeliveryClaims } from './repository/deliveries.js';
import { createOpenOrJoin } from './repository/open-or-join.js';
import { createRequestQueries } from './repository/queries.js';
import { createRequestUpdates } from './repository/request-updates.js';
import { createTransitions } from './repository/transitions.js';

export type { RepositoryOptions } from './repository/context.js';

export function createDynamoRequestRepository(models: StoreModels, options: RepositoryOptions): RequestRepository {
  const ctx = createStoreContext(models, options);
  return {
    ...createOpenOrJoin(ctx),
    ...createTransitions(ctx),
    ...createRequestUpdates(ctx),
    ...createRequestQueries(ctx),
    ...createAuditTrail(ctx),
    ...createDeliveryClaims(ctx),
  };
}
