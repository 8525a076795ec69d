// "Not what happened?" pastes in the state table (src/access/diagnosis-misses.ts is the port). One item per paste:
// held with a TTL of minutes, turned into a kept miss by one conditional update on the click, which also puts it on
// GSI 1 under MISSES (a sparse index: held pastes never appear there). Expired items count as absent everywhere,
// since DynamoDB's TTL deletion can lag behind the expiry time.
import dynamoose from 'dynamoose';
import { z } from 'zod';
import type { HeldPaste, KeepOutcome, KeptMiss, MissStore } from '../access/diagnosis-misses.js';
import { InvalidStoredItemError } from '../access/request-repository.js';
import { CATEGORIES } from '../diagnosis/types.js';
import type { StoreModels } from './models.js';
import { isConditionalFailure, queryAll, readStored } from './repository/context.js';
import { GSI_OPEN_AND_USER, index, keys } from './table-design.js';

const storedMiss = z.object({
  id: z.string(),
  status: z.enum(['held', 'kept']),
  expiresAt: z.number(),
  userId: z.string(),
  teamId: z.string().optional(),
  text: z.string(),
  diagnosed: z.object({
    category: z.enum(CATEGORIES),
    cause: z.string(),
    title: z.string(),
    // The engine's Facts, stored as it gave them; only read back to be printed.
    facts: z.record(z.string(), z.unknown()),
  }),
  heldAt: z.string(),
  keptAt: z.string().optional(),
});
type StoredMiss = z.infer<typeof storedMiss>;

function fromItem(item: Record<string, unknown>): StoredMiss {
  const parsed = storedMiss.safeParse(item);
  if (!parsed.success) {
    throw new InvalidStoredItemError(
      `${String(item.pk)}/${String(item.sk)}`,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}

function keptMiss(m: StoredMiss): KeptMiss {
  return {
    id: m.id,
    userId: m.userId,
    ...(m.teamId ? { teamId: m.teamId } : {}),
    text: m.text,
    diagnosed: m.diagnosed as KeptMiss['diagnosed'],
    heldAt: m.heldAt,
    keptAt: m.keptAt ?? m.heldAt,
  };
}

export function createDynamoMissStore(models: StoreModels, options: { now?: () => Date } = {}): MissStore {
  const { Miss } = models;
  const clock = options.now ?? (() => new Date());
  const epochSeconds = () => Math.floor(clock().getTime() / 1000);

  async function hold(paste: HeldPaste, holdSeconds: number): Promise<void> {
    await Miss.create(
      {
        ...keys.miss(paste.id),
        kind: 'miss',
        status: 'held',
        expiresAt: epochSeconds() + holdSeconds,
        id: paste.id,
        userId: paste.userId,
        ...(paste.teamId ? { teamId: paste.teamId } : {}),
        text: paste.text,
        diagnosed: paste.diagnosed,
        heldAt: clock().toISOString(),
      },
      { overwrite: false },
    );
  }

  async function keep(id: string, by: { userId: string }, keepDays: number): Promise<KeepOutcome> {
    const now = epochSeconds();
    const keptAt = clock().toISOString();
    try {
      const item = await Miss.update(
        keys.miss(id),
        {
          $SET: {
            status: 'kept',
            keptAt,
            expiresAt: now + keepDays * 86_400,
            gsi1pk: index.missesPk,
            gsi1sk: index.sortByCreation(keptAt, id),
          },
        },
        {
          // The one who pasted it, inside the hold window, once.
          condition: new dynamoose.Condition('status')
            .eq('held')
            .and()
            .where('expiresAt')
            .gt(now)
            .and()
            .where('userId')
            .eq(by.userId),
        },
      );
      return { kept: true, miss: keptMiss(fromItem(item.toJSON())) };
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      return whyNotKept(id, by.userId, now);
    }
  }

  async function whyNotKept(id: string, userId: string, now: number): Promise<KeepOutcome> {
    const key = keys.miss(id);
    const item = await readStored(key, () => Miss.get(key, { consistent: true }));
    const found = item ? fromItem(item.toJSON()) : undefined;
    if (!found || found.expiresAt <= now) return { kept: false, reason: 'gone' };
    if (found.userId !== userId) return { kept: false, reason: 'not_yours' };
    return { kept: false, reason: 'already_kept' };
  }

  async function listKept(): Promise<KeptMiss[]> {
    const now = epochSeconds();
    const items = await queryAll(Miss.query('gsi1pk').eq(index.missesPk).using(GSI_OPEN_AND_USER), 'kept misses');
    return items
      .map(fromItem)
      .filter((m) => m.status === 'kept' && m.expiresAt > now)
      .map(keptMiss);
  }

  return { hold, keep, listKept };
}
