// `bedrock-doctor accounts list|import|remove|sync`: the operator's view and changes of the stored account registry.
// Run with the state store's credentials (and, for sync, AWS Organizations read rights); the bot never needs the latter.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RegistryAuditEvent } from '../../src/access/account-registry.js';
import { importAccounts, removeAccount } from '../../src/access/manage-accounts.js';
import { DEFAULT_STAGE, memberRoleArns, STAGE_RE } from '../../src/access/member-roles.js';
import { syncFromOrganizations } from '../../src/access/sync-organization.js';
import { createOrganizations } from '../../src/aws/organizations.js';
import { type Account, accountSchema, type Config, ConfigError } from '../../src/config.js';
import { isUserFacingError, messageOf } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { exitCodeFor, splitList } from './access-services.js';
import { type CliIo, type Command, EXIT, toJson, visible } from './io.js';
import { loadConfigOrSay } from './load-config.js';

const USAGE = `Usage:
  bedrock-doctor accounts list [--json]
  bedrock-doctor accounts import <file>
  bedrock-doctor accounts remove <id|alias>
  bedrock-doctor accounts sync --from-organizations [--ou <ou-id>]… [--stage S] [--regions R1,R2] [--external-id X]
`;

const OPTIONS = {
  json: { type: 'boolean' },
  'from-organizations': { type: 'boolean' },
  ou: { type: 'string', multiple: true },
  stage: { type: 'string' },
  regions: { type: 'string' },
  'external-id': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const accounts: Command = async (args, io) => {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    io.stderr.write(`${visible(messageOf(err))}\n${USAGE}`);
    return EXIT.usage;
  }
  const [verb, ...rest] = parsed.positionals;
  const { values } = parsed;
  const argOk =
    (verb === 'list' && rest.length === 0) ||
    ((verb === 'import' || verb === 'remove') && rest.length === 1) ||
    (verb === 'sync' && rest.length === 0 && values['from-organizations']);
  if (!argOk) {
    io.stderr.write(USAGE);
    return EXIT.usage;
  }
  if (values.stage !== undefined && !STAGE_RE.test(values.stage)) {
    io.stderr.write(
      `--stage: expected up to 16 lowercase letters, digits and hyphens, starting with a letter (e.g. ${DEFAULT_STAGE})\n`,
    );
    return EXIT.usage;
  }
  const config = loadConfigOrSay(io);
  if (!config) return EXIT.usage;
  if (config.accountsFrom) {
    if (verb === 'list') return printList(io, config.accounts, values.json, `(from ${config.accountsFrom})`);
    io.stderr.write(
      `${config.accountsFrom} is set: this process serves that list and never reads the stored registry. ` +
        'Unset it to manage the stored registry; nothing was changed.\n',
    );
    return EXIT.usage;
  }
  const store = await openStoreOrSay(config, io);
  if (!store) return EXIT.failed;
  const actor = `cli:${io.env.USER || io.env.USERNAME || 'unknown'}`;
  try {
    if (verb === 'list') {
      const active = (await store.accounts.entries()).filter((e) => e.status === 'active').map((e) => e.account);
      if (active.length === 0) {
        io.stderr.write('No accounts are registered: the bot serves one default account (its own credentials).\n');
      }
      return printList(io, active, values.json);
    }
    const deps = { registry: store.accounts };
    if (verb === 'import') {
      const file = rest[0] ?? '';
      const text = readText(file, io);
      if (text === undefined) return EXIT.usage;
      return printEvent(io, await importAccounts(deps, { text, source: file, actor }));
    }
    if (verb === 'remove') return printEvent(io, await removeAccount(deps, { idOrAlias: rest[0] ?? '', actor }));
    return await sync(io, config, store, values, actor);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`Nothing was changed.\n${visible(err.message)}\n`);
      return EXIT.usage;
    }
    if (isUserFacingError(err)) {
      io.stderr.write(`${visible(err.message)}\n`);
      return exitCodeFor(err);
    }
    throw err;
  } finally {
    await store.close();
  }
};
export default accounts;

async function sync(io: CliIo, config: Config, store: Store, values: Values, actor: string): Promise<number> {
  // Options are checked before any AWS call, so a typo costs no Organizations call and writes nothing.
  const wrong = syncOptionProblems(values);
  if (wrong.length > 0) {
    io.stderr.write(`Nothing was changed: ${wrong.join('; ')}.\n`);
    return EXIT.usage;
  }
  const organizations = createOrganizations(io.env);
  try {
    const event = await syncFromOrganizations(
      { registry: store.accounts, organizations },
      {
        ous: values.ou ?? [],
        stage: values.stage ?? DEFAULT_STAGE,
        roleArnsFor: (id) => memberRoleArns(id, values.stage ?? DEFAULT_STAGE),
        regions: splitList(values.regions) ?? config.accounts.find((a) => a.default)?.regions ?? [config.defaultRegion],
        ...(values['external-id'] ? { externalId: values['external-id'] } : {}),
        actor,
      },
    );
    return printEvent(io, event);
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    // An SDK service error (AccessDenied, AWSOrganizationsNotInUseException, …): say who may run this.
    if (err instanceof Error && '$metadata' in err) {
      io.stderr.write(
        `AWS Organizations refused the call (${visible(name)}: ${visible(err.message)}). Run this with credentials ` +
          "of the organisation's management account or of a delegated administrator; nothing was changed.\n",
      );
      return EXIT.failed;
    }
    throw err;
  } finally {
    organizations.destroy();
  }
}

/** The embedded store holds its folder while `npm start` runs: say so instead of failing obscurely. */
async function openStoreOrSay(config: Config, io: CliIo): Promise<Store | undefined> {
  try {
    return await openStore(config, { logger: silentLogger });
  } catch (err) {
    if (err instanceof Error && err.name === 'DataFolderInUseError') {
      io.stderr.write(
        `The state store in ${visible(config.store.dataDir)} is in use by a running bedrock-doctor (\`npm start\`?). ` +
          'Stop it, run this command, then start it again: the account registry lives in that store. ' +
          'Nothing was changed.\n',
      );
      return undefined;
    }
    io.stderr.write(`Could not open the state store: ${visible(messageOf(err))}\n`);
    return undefined;
  }
}

function readText(path: string, io: CliIo): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    io.stderr.write(`Cannot read ${visible(path)}: expected a JSON file of accounts (see README "Accounts").\n`);
    return undefined;
  }
}

function printList(io: CliIo, list: readonly Account[], json: boolean | undefined, note?: string): number {
  if (json) {
    io.stdout.write(`${toJson(list, 2)}\n`);
    return EXIT.ok;
  }
  const rows = list.map((a) => [
    a.id ?? '(own)',
    `${a.alias}${a.default ? ' *' : ''}`,
    a.regions.join(','),
    a.approverChannel ?? '-',
    a.activationRoleArn ?? '-',
  ]);
  const header = ['ID', 'ALIAS', 'REGIONS', 'APPROVERS IN', 'ACTIVATION ROLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const summary = `${list.length} account${list.length === 1 ? '' : 's'}${note ? ` ${note}` : ''}; * = default`;
  io.stdout.write(visible(`${[line(header), ...rows.map(line), '', summary].join('\n')}\n`));
  return EXIT.ok;
}

function printEvent(io: CliIo, event: RegistryAuditEvent): number {
  const counts = [
    `${event.added.length} added`,
    `${event.updated.length} updated`,
    `${event.removed.length} removed`,
  ].join(', ');
  const ids = [...event.added, ...event.updated, ...event.removed];
  io.stdout.write(
    visible(
      `${event.action.replace('_', ' ')}: ${counts}${ids.length ? ` (${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''})` : ''}. Audit event ${event.id}.\n`,
    ),
  );
  return EXIT.ok;
}

/** OU ids (`ou-…`) or the root (`r-…`), as Organizations writes them. */
const OU_ID_RE = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

function syncOptionProblems(values: Values): string[] {
  const problems: string[] = [];
  const regions = splitList(values.regions);
  if (regions) {
    const checked = accountSchema.shape.regions.safeParse(regions);
    if (!checked.success)
      problems.push(`--regions ${visible(values.regions ?? '')}: ${checked.error.issues[0]?.message}`);
  }
  const externalId = values['external-id'];
  if (externalId !== undefined) {
    const checked = accountSchema.shape.externalId.safeParse(externalId);
    if (!checked.success) problems.push(`--external-id: ${checked.error.issues[0]?.message}`);
  }
  for (const ou of values.ou ?? []) {
    if (!OU_ID_RE.test(ou))
      problems.push(`--ou ${visible(ou)}: an OU id such as ou-ab12-cd34ef56 (or the root, r-ab12)`);
  }
  return problems;
}
