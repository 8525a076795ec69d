// Which accounts a running process serves, and how soon it sees a change made by `bedrock-doctor accounts …`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedAccounts } from '../../src/access/account-registry.js';
import { importAccounts, removeAccount } from '../../src/access/manage-accounts.js';
import type { Account } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { accountDirectoryFor } from '../../src/runtime/account-directory.js';
import { openStore, type Store } from '../../src/store/open-store.js';

const DEFAULT: Account = { alias: 'default', regions: ['us-east-1'], default: true };
const LAB = { id: '777788889999', alias: 'lab', regions: ['eu-west-1'] };

let store: Store;
beforeAll(async () => {
  store = await openStore(
    { defaultRegion: 'us-east-1', store: { dataDir: '', requestTtlDays: 90, idempotencyTtlHours: 24 } },
    { logger: silentLogger, inMemory: true },
  );
});
afterAll(() => store.close());

describe('the stored registry as a running bot reads it', () => {
  it('serves the default account until something is registered, and sees each change within a minute', async () => {
    let now = 0;
    const accounts = accountDirectoryFor({ accounts: [DEFAULT] }, store.accounts, { now: () => now });
    expect(await accounts.list()).toEqual([DEFAULT]);

    await importAccounts({ registry: store.accounts }, { text: JSON.stringify([LAB]), source: 'lab.json', actor: 't' });
    now = 10_000;
    expect(await accounts.list()).toEqual([DEFAULT]);
    now = 30_000;
    expect(await accounts.list()).toEqual([LAB]);

    await removeAccount({ registry: store.accounts }, { idOrAlias: 'lab', actor: 't' });
    now = 59_999;
    expect(await accounts.list()).toEqual([LAB]);
    now = 60_000;
    expect(await accounts.list()).toEqual([DEFAULT]);
  });

  it('serves the seed file while the registry was never written, and the default once all are removed', async () => {
    const empty = await openStore(
      { defaultRegion: 'us-east-1', store: { dataDir: '', requestTtlDays: 90, idempotencyTtlHours: 24 } },
      { logger: silentLogger, inMemory: true },
    );
    try {
      const seed = { accounts: [DEFAULT], accountsSeedFile: '/opt/accounts.json' };
      const readFile = (path: string) => (path === '/opt/accounts.json' ? JSON.stringify([LAB]) : '');
      const before = accountDirectoryFor(seed, empty.accounts, { ttlMs: 0, readFile });
      expect(await before.list()).toEqual([LAB]);
      await importAccounts({ registry: empty.accounts }, { text: JSON.stringify([LAB]), source: 'x', actor: 't' });
      await removeAccount({ registry: empty.accounts }, { idOrAlias: 'lab', actor: 't' });
      // Removed stays removed: the seed file does not bring it back; the default account is served.
      expect(await before.list()).toEqual([DEFAULT]);
    } finally {
      await empty.close();
    }
  });

  it('ignores the stored registry when BEDROCK_DOCTOR_ACCOUNTS names the accounts', async () => {
    await importAccounts({ registry: store.accounts }, { text: JSON.stringify([LAB]), source: 'lab.json', actor: 't' });
    const fixed = { id: '111122223333', alias: 'sandbox', regions: ['us-east-1'] };
    const accounts = accountDirectoryFor(
      { accounts: [fixed], accountsFrom: 'BEDROCK_DOCTOR_ACCOUNTS' },
      store.accounts,
    );
    expect(await accounts.list()).toEqual([fixed]);
  });

  it('reads again after a failed read instead of keeping the failure', async () => {
    let calls = 0;
    const flaky = cachedAccounts(
      {
        list: async () => {
          calls += 1;
          if (calls === 1) throw new Error('store unreachable');
          return [LAB];
        },
      },
      { now: () => 0 },
    );
    await expect(flaky.list()).rejects.toThrow('store unreachable');
    expect(await flaky.list()).toEqual([LAB]);
    expect(calls).toBe(2);
  });
});
