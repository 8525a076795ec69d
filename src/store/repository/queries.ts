// Reads of requests: by id, the open ones (GSI 1 "OPEN"), a user's (participant pointers on GSI 1, then a batch
// read), and a model's history (GSI 2).
import type { ActivationRequest, RequestRepository } from '../../access/request-repository.js';
import { requestFromItem } from '../records.js';
import { GSI_MODEL, GSI_OPEN_AND_USER, index, keys } from '../table-design.js';
import { type PlainItem, pause, queryAll, readStored, type StoreContext } from './context.js';

type RequestQueries = Pick<RequestRepository, 'get' | 'listOpen' | 'listByRequester' | 'listByModel'>;

export function createRequestQueries(ctx: StoreContext): RequestQueries {
  const { Request, Participant } = ctx.models;

  async function batchGetRequests(ids: string[]): Promise<ActivationRequest[]> {
    const found: ActivationRequest[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let pending: PlainItem[] = ids.slice(i, i + 100).map((id) => keys.request(id));
      for (let round = 0; pending.length > 0; round++) {
        // Unprocessed keys mean throttling: back off, and give up rather than loop forever.
        if (round >= 8) throw new Error('DynamoDB kept returning unprocessed keys for a batch read; try again later');
        if (round > 0) await pause(round * 5);
        const batch = pending;
        const out = await readStored('a batch of requests', () => Request.batchGet(batch as never));
        found.push(...out.map((item) => requestFromItem(item.toJSON())));
        pending = (out.unprocessedKeys ?? []) as PlainItem[];
      }
    }
    return found;
  }

  async function listOpen(): Promise<ActivationRequest[]> {
    const items = await queryAll(Request.query('gsi1pk').eq(index.openPk).using(GSI_OPEN_AND_USER), 'open requests');
    return items.map(requestFromItem);
  }

  async function listByRequester(userId: string): Promise<ActivationRequest[]> {
    const pointers = await queryAll(
      Participant.query('gsi1pk').eq(index.userPk(userId)).using(GSI_OPEN_AND_USER).sort('descending'),
      `requests of ${userId}`,
    );
    const found = await batchGetRequests(pointers.map((p) => String(p.requestId)));
    // Requests removed by TTL leave their pointer behind; they are simply absent here.
    return found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  async function listByModel(accountId: string, region: string, baseModelId: string) {
    const items = await queryAll(
      Request.query('gsi2pk')
        .eq(index.modelPk(accountId, region, baseModelId))
        .using(GSI_MODEL)
        .sort('descending'),
      `history of ${baseModelId}`,
    );
    return items.map(requestFromItem);
  }

  return { get: ctx.getRequest, listOpen, listByRequester, listByModel };
}
