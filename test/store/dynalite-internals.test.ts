// The embedded store's TransactWriteItems shim (src/store/dynalite-transactions.ts) reaches into dynalite files that
// dynalite does not export. package.json pins dynalite exactly; this fails loudly when an upgrade moves those files or
// changes what they export, instead of the app failing at its first embedded start.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const shim = readFileSync(new URL('../../src/store/dynalite-transactions.ts', import.meta.url), 'utf8');
const reached = [...shim.matchAll(/require\('(dynalite\/[^']+)'\)/g)].map((m) => m[1] as string);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const installed = (require('dynalite/package.json') as { version: string }).version;

/** What the shim calls on each file; a file that still exists but lost these would break it just the same. */
const EXPECTED: Record<string, { kind: 'function' | 'object'; members?: string[] }> = {
  'dynalite/db/index.js': { kind: 'object', members: ['create', 'createKey', 'checkConditional', 'itemSize'] },
  'dynalite/validations/index.js': { kind: 'object', members: ['checkTypes', 'checkValidations'] },
  'dynalite/actions/putItem.js': { kind: 'function' },
  'dynalite/actions/updateItem.js': { kind: 'function' },
  'dynalite/actions/deleteItem.js': { kind: 'function' },
  'dynalite/validations/putItem.js': { kind: 'object', members: ['types'] },
  'dynalite/validations/updateItem.js': { kind: 'object', members: ['types'] },
  'dynalite/validations/deleteItem.js': { kind: 'object', members: ['types'] },
};

describe('dynalite internals the transaction shim relies on', () => {
  it('is pinned to the exact version the shim was written against, and that version is installed', () => {
    expect(pkg.dependencies.dynalite).toBe('4.0.0');
    expect(installed).toBe(pkg.dependencies.dynalite);
  });

  it('knows every unexported file the shim reaches into', () => {
    expect([...new Set(reached)].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s still exists with what the shim calls', (path, expected) => {
    const mod = require(path) as Record<string, unknown>;
    expect(typeof mod).toBe(expected.kind);
    for (const member of expected.members ?? []) expect(mod[member], `${path} → ${member}`).toBeDefined();
  });
});
