// `bedrock-doctor accounts …` in-process against the embedded store (a temp data folder) and the fake AWS's
// Organizations, through the real SDK. What the operator sees, what is stored, and what the audit trail says.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../handlers/cli/io.js';
import { main } from '../../../handlers/cli.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { organizationOf } from '../../fakes/aws/organizations.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import { FakeAwsWorld } from '../../fakes/aws/world.js';

const MANAGEMENT = '999988887777';
const SANDBOX = '111122223333';

let world: FakeAwsWorld;
let fake: FakeAws;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  world = new FakeAwsWorld();
  world.addAccount(MANAGEMENT);
  world.addAccount(SANDBOX);
  fake = await startFakeAws(world);
  const ops = world.addUser(MANAGEMENT, 'ops', { allow: ['organizations:List*'] });
  dir = mkdtempSync(join(tmpdir(), 'bd-accounts-'));
  env = {
    ...fake.env,
    AWS_ACCESS_KEY_ID: ops.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ops.secretAccessKey,
    AWS_REGION: 'eu-west-1',
    AWS_MAX_ATTEMPTS: '1',
    DATA_DIR: dir,
    USER: 'alice',
  };
});
afterEach(() => fake.close());

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  const stdin = new PassThrough();
  stdin.end('');
  const io: CliIo = {
    stdin,
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
    env,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** Reads what the CLI stored, with the CLI closed (the embedded store admits one process). */
async function withStore<T>(read: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig(env), { logger: silentLogger });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

const sandbox = {
  id: SANDBOX,
  alias: 'sandbox',
  regions: ['us-east-1', 'us-west-2'],
  default: true,
  activationRoleArn: `arn:aws:iam::${SANDBOX}:role/bedrock-doctor-activation`,
};
const prod = {
  id: '444455556666',
  alias: 'prod',
  regions: ['us-east-1'],
  readRoleArn: 'arn:aws:iam::444455556666:role/bedrock-doctor-read',
  activationRoleArn: 'arn:aws:iam::444455556666:role/bedrock-doctor-activation',
  externalId: 'org-wide-secret',
  approverChannel: 'C0123456789',
  approvers: ['U0123456789'],
};

describe('accounts import, list and remove', () => {
  it('imports a file, lists it as a table and as JSON in the same format, and audits the import', async () => {
    const imported = await run(['accounts', 'import', file('accounts.json', [sandbox, prod])]);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/^accounts imported: 2 added, 0 updated, 0 removed \(111122223333, 444455556666\)/);

    const table = await run(['accounts', 'list']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.out.split('\n');
    expect(header).toMatch(/^ID\s+ALIAS\s+REGIONS\s+APPROVERS IN\s+ACTIVATION ROLE$/);
    expect(rows[0]).toMatch(/^111122223333\s+sandbox \*\s+us-east-1,us-west-2\s+-\s+arn:aws:iam::111122223333:role/);
    expect(rows[1]).toMatch(/^444455556666\s+prod\s+us-east-1\s+C0123456789\s+arn:aws:iam::444455556666:role/);
    expect(table.out).toContain('2 accounts; * = default');

    const json = await run(['accounts', 'list', '--json']);
    expect(JSON.parse(json.out)).toEqual([sandbox, prod]);

    // The same file again changes nothing, and says so.
    const again = await run(['accounts', 'import', file('accounts.json', [sandbox, prod])]);
    expect(again.out).toMatch(/^accounts imported: 0 added, 0 updated, 0 removed\./);

    const trail = await withStore((s) => s.accounts.history());
    expect(trail.map((e) => [e.action, e.actor, e.added, e.updated])).toEqual([
      ['accounts_imported', 'cli:alice', [SANDBOX, prod.id], []],
      ['accounts_imported', 'cli:alice', [], []],
    ]);
  });

  it('refuses an import that would give two accounts one alias, and changes nothing', async () => {
    await run(['accounts', 'import', file('a.json', [sandbox])]);
    const clash = await run(['accounts', 'import', file('b.json', [{ ...prod, alias: 'sandbox' }])]);
    expect(clash.code).toBe(2);
    expect(clash.err).toContain('Nothing was changed: alias "sandbox" would name 111122223333 and 444455556666');
    const broken = await run(['accounts', 'import', file('c.json', [{ ...prod, regions: [] }])]);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/c\.json\[0\]\[regions\]: expected at least one region/);
    const stored = await withStore((s) => s.accounts.entries());
    expect(stored.map((e) => e.account.id)).toEqual([SANDBOX]);
  });

  it('removes an account by alias: it leaves the list, stays stored as removed, and the removal is audited', async () => {
    await run(['accounts', 'import', file('accounts.json', [sandbox, prod])]);
    const removed = await run(['accounts', 'remove', 'prod']);
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/^account removed: 0 added, 0 updated, 1 removed \(444455556666\)/);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out)).toEqual([sandbox]);
    const unknown = await run(['accounts', 'remove', 'prod']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No registered account has the id or alias "prod"');
    const { entries, trail } = await withStore(async (s) => ({
      entries: await s.accounts.entries(),
      trail: await s.accounts.history(),
    }));
    expect(entries.find((e) => e.account.id === prod.id)?.status).toBe('removed');
    expect(trail.at(-1)).toMatchObject({ action: 'account_removed', actor: 'cli:alice', removed: [prod.id] });
  });

  it('says plainly that the store is held while another process (npm start) has it open', async () => {
    const running = await openStore(loadConfig(env), { logger: silentLogger });
    try {
      const listed = await run(['accounts', 'list']);
      expect(listed.code).toBe(1);
      expect(listed.err).toContain(`The state store in ${dir} is in use by a running bedrock-doctor (\`npm start\`?)`);
      expect(listed.err).toContain('Nothing was changed.');
    } finally {
      await running.close();
    }
  });

  it('with BEDROCK_DOCTOR_ACCOUNTS set, lists that list and refuses to change the stored registry', async () => {
    env.BEDROCK_DOCTOR_ACCOUNTS = JSON.stringify([sandbox]);
    const listed = await run(['accounts', 'list', '--json']);
    expect(JSON.parse(listed.out)).toEqual([sandbox]);
    const refused = await run(['accounts', 'import', file('accounts.json', [prod])]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('BEDROCK_DOCTOR_ACCOUNTS is set: this process serves that list');
  });
});

describe('accounts sync --from-organizations', () => {
  function organisation() {
    const org = organizationOf(world);
    org.create(MANAGEMENT);
    const workloads = org.addOu(org.rootId, 'Workloads');
    const teams = org.addOu(workloads, 'Teams');
    const other = org.addOu(org.rootId, 'Suspended');
    org.addAccount(SANDBOX, 'Sandbox', workloads);
    org.addAccount('222233334444', 'Data Science', teams);
    org.addAccount('333344445555', 'Data  science!', teams);
    org.addAccount('555566667777', 'Old team', teams, 'SUSPENDED');
    org.addAccount('666677778888', 'Elsewhere', other);
    return { org, workloads };
  }

  it('registers active accounts of an OU and its child OUs with the stage role names, keeping overrides', async () => {
    const { org, workloads } = organisation();
    // Set by hand before: alias, regions, approvers and approver channel survive the sync.
    await run(['accounts', 'import', file('own.json', [{ ...prod, id: SANDBOX, alias: 'playground' }])]);

    const synced = await run([
      'accounts',
      'sync',
      '--from-organizations',
      '--ou',
      workloads,
      '--stage',
      'staging',
      '--regions',
      'us-east-1,eu-west-1',
    ]);
    expect(synced.err).toBe('');
    expect(synced.code).toBe(0);
    expect(synced.out).toMatch(/^accounts synced: 2 added, 1 updated, 0 removed/);

    const listed = JSON.parse((await run(['accounts', 'list', '--json'])).out);
    const roles = (id: string) => ({
      readRoleArn: `arn:aws:iam::${id}:role/bedrock-doctor-staging-read`,
      activationRoleArn: `arn:aws:iam::${id}:role/bedrock-doctor-staging-activation`,
    });
    expect(listed).toEqual([
      {
        id: SANDBOX,
        alias: 'playground',
        regions: ['us-east-1'],
        ...roles(SANDBOX),
        externalId: 'org-wide-secret',
        approverChannel: 'C0123456789',
        approvers: ['U0123456789'],
      },
      { id: '222233334444', alias: 'data-science', regions: ['us-east-1', 'eu-west-1'], ...roles('222233334444') },
      { id: '333344445555', alias: 'data-science-5555', regions: ['us-east-1', 'eu-west-1'], ...roles('333344445555') },
    ]);
    // Every page was followed (two items a page), child OUs included; the suspended account was skipped.
    const ops = world.calls.filter((c) => c.status === 200).map((c) => c.operation);
    expect(ops.filter((o) => o === 'ListAccounts').length).toBeGreaterThan(1);
    expect(ops).toContain('ListAccountsForParent');
    expect(ops).toContain('ListOrganizationalUnitsForParent');

    // The data-science account leaves the organisation: the next sync marks it removed and keeps the rest.
    org.remove('222233334444');
    const again = await run(['accounts', 'sync', '--from-organizations', '--ou', workloads, '--stage', 'staging']);
    expect(again.out).toMatch(/^accounts synced: 0 added, 0 updated, 1 removed \(222233334444\)/);
    const after = JSON.parse((await run(['accounts', 'list', '--json'])).out) as { id: string }[];
    expect(after.map((a) => a.id)).toEqual([SANDBOX, '333344445555']);
    const trail = await withStore((s) => s.accounts.history());
    expect(trail.map((e) => e.action)).toEqual(['accounts_imported', 'accounts_synced', 'accounts_synced']);
    expect(trail[1]?.note).toContain(`OUs ${workloads}, stage staging`);
  });

  it('keeps an imported edit of a synced account, reports no change that did not happen, and still retires it', async () => {
    // Prepare: synced, then edited the only way the CLI offers (list --json, edit, import).
    const { org, workloads } = organisation();
    await run(['accounts', 'sync', '--from-organizations', '--ou', workloads]);
    const listed = JSON.parse((await run(['accounts', 'list', '--json'])).out) as { id: string; alias: string }[];
    const edited = listed.map((a) =>
      a.id === '222233334444' ? { ...a, alias: 'ds-team', approvers: ['U0DSLEAD01'] } : a,
    );
    await run(['accounts', 'import', file('edited.json', edited)]);

    // Act
    const unchanged = await run(['accounts', 'sync', '--from-organizations', '--ou', workloads]);
    org.remove('222233334444');
    const left = await run(['accounts', 'sync', '--from-organizations', '--ou', workloads]);

    // Assess
    expect(unchanged.out).toMatch(/^accounts synced: 0 added, 0 updated, 0 removed/);
    expect(left.out).toMatch(/^accounts synced: 0 added, 0 updated, 1 removed \(222233334444\)/);
    const after = JSON.parse((await run(['accounts', 'list', '--json'])).out) as { id: string }[];
    expect(after.map((a) => a.id)).not.toContain('222233334444');
  });

  it('registers the whole organisation with the production role names when no OU is named', async () => {
    organisation();
    const synced = await run(['accounts', 'sync', '--from-organizations']);
    expect(synced.code).toBe(0);
    const listed = JSON.parse((await run(['accounts', 'list', '--json'])).out) as Record<string, unknown>[];
    expect(listed.map((a) => a.id)).toEqual([SANDBOX, '222233334444', '333344445555', '666677778888', MANAGEMENT]);
    expect(listed[0]).toMatchObject({
      alias: 'sandbox',
      regions: ['eu-west-1'],
      readRoleArn: `arn:aws:iam::${SANDBOX}:role/bedrock-doctor-read`,
      activationRoleArn: `arn:aws:iam::${SANDBOX}:role/bedrock-doctor-activation`,
    });
  });

  it('says who may run it when Organizations refuses the caller, and changes nothing', async () => {
    organizationOf(world).create(MANAGEMENT);
    const member = world.addUser(SANDBOX, 'dev', { allow: ['organizations:List*'] });
    env.AWS_ACCESS_KEY_ID = member.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = member.secretAccessKey;
    const refused = await run(['accounts', 'sync', '--from-organizations']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      "AWS Organizations refused the call (AccessDeniedException: You don't have permissions",
    );
    expect(refused.err).toContain('management account or of a delegated administrator; nothing was changed');
    expect(await withStore((s) => s.accounts.entries())).toEqual([]);
  });

  it('refuses regions, an ExternalId or OU ids that no account could hold, before any AWS call, and writes nothing', async () => {
    // Prepare
    organisation();

    // Act
    const badRegion = await run(['accounts', 'sync', '--from-organizations', '--regions', 'xx-nowhere-9']);
    const badExternalId = await run(['accounts', 'sync', '--from-organizations', '--external-id', 'a b']);
    const badOu = await run(['accounts', 'sync', '--from-organizations', '--ou', 'bad-ou-id']);

    // Assess
    for (const refused of [badRegion, badExternalId, badOu]) {
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/^Nothing was changed: /);
    }
    expect(badRegion.err).toContain('--regions xx-nowhere-9: an AWS region such as us-east-1');
    expect(badExternalId.err).toContain('--external-id:');
    expect(badOu.err).toContain('--ou bad-ou-id: an OU id such as ou-ab12-cd34ef56');
    expect(world.calls).toEqual([]);
    expect(await withStore((s) => s.accounts.entries())).toEqual([]);
    expect((await run(['accounts', 'list'])).code).toBe(0);
  });

  it('needs --from-organizations, and a stage that can go into a role name', async () => {
    const usage = await run(['accounts', 'sync']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('accounts sync --from-organizations');
    const badStage = await run(['accounts', 'sync', '--from-organizations', '--stage', 'Staging_1']);
    expect(badStage.code).toBe(2);
    expect(badStage.err).toContain('--stage: expected up to 16 lowercase letters, digits and hyphens');
    expect(world.calls).toEqual([]);
  });
});
