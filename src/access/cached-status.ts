// Status checks through a shared cache: the same question asked again within the window (by anyone, or a flood of
// one person's commands) is answered from one AWS read. The report keeps its own `checkedAt`, so the card says when.
import type { SingleFlightCache } from './single-flight-cache.js';
import type { CheckStatus, StatusQuery, StatusReport } from './status-report.js';

export function cachedStatusChecks(checkStatus: CheckStatus, cache: SingleFlightCache<StatusReport>): CheckStatus {
  return (query) => cache.get(statusKey(query), () => checkStatus(query));
}

/** Identical questions get one key: the regions in any order, the model as typed (trimmed). */
export function statusKey(query: StatusQuery): string {
  const regions = [...(query.regions ?? [])].sort();
  return JSON.stringify([query.modelRef.trim(), query.account ?? '', query.namedAccount ?? '', regions]);
}
