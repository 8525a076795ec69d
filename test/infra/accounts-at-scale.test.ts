// An organisation of 500 accounts deploys: the accounts go to the reconciler as a file in a layer and from there into
// the registry table; no function's environment carries them (Lambda refuses an environment over 4 KB).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { memberRoleArns } from '../../src/access/member-roles.js';
import { type AccountConfig, parseAccounts } from '../../src/config.js';
import { buildStacks } from './infra-fixture.js';

type Fn = { Properties: { Environment?: { Variables?: Record<string, unknown> }; Layers?: unknown[] } };

/** 500 accounts as `accounts sync` would register them: three regions, read and activation roles, an ExternalId. */
function organisation(size: number): AccountConfig[] {
  return Array.from({ length: size }, (_, i) => {
    const id = String(100_000_000_000 + i * 7919);
    return {
      id,
      alias: `team-${String(i).padStart(3, '0')}-workloads`,
      regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
      ...memberRoleArns(id),
      externalId: 'organisation-wide-external-id',
      ...(i % 10 === 0 ? { approverChannel: 'C0123456789', approvers: ['U0123456789'] } : {}),
    };
  });
}

/** What Lambda counts against its 4 KB: every variable's name and value (tokens counted as their JSON, larger). */
function environmentBytes(fn: Fn): number {
  const vars = fn.Properties.Environment?.Variables ?? {};
  return Object.entries(vars).reduce(
    (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : JSON.stringify(v)),
    0,
  );
}

describe('500 accounts at deploy', () => {
  const accounts = organisation(500);
  const { stateless, app } = buildStacks({ stateless: { accounts } });
  const template = Template.fromStack(stateless);
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, Fn>;

  it('keeps every function environment far under 4 KB, with no account in it', () => {
    expect(Object.keys(functions)).toHaveLength(3);
    for (const fn of Object.values(functions)) {
      expect(environmentBytes(fn)).toBeLessThan(4096);
      expect(fn.Properties.Environment?.Variables?.BEDROCK_DOCTOR_ACCOUNTS).toBeUndefined();
      expect(JSON.stringify(fn.Properties.Environment)).not.toContain(accounts[1]?.id);
    }
  });

  it('ships the accounts as a seed file in one layer that every function has', () => {
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Environment?.Variables?.BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE).toBe('/opt/accounts.json');
      expect(fn.Properties.Layers).toHaveLength(1);
    }
    // The staged layer holds the 500 accounts exactly, in the format the import reads.
    const staged = readdirSync(app.outdir)
      .map((entry) => join(app.outdir, entry, 'accounts.json'))
      .filter((path) => existsSync(path));
    expect(staged).toHaveLength(1);
    expect(parseAccounts(readFileSync(staged[0] ?? '', 'utf8'), 'staged')).toEqual(accounts);
  });

  it('refuses at synth an accounts file the registry could not hold (two accounts, one alias)', () => {
    const clash = [accounts[0], { ...accounts[1], alias: accounts[0]?.alias }] as AccountConfig[];
    expect(() => buildStacks({ stateless: { accounts: clash } })).toThrow(/account aliases must be unique/);
  });
});
