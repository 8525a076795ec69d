// Runs a Lambda bundle the way the runtime would, but locally: a fresh Node process, in a folder holding nothing but
// the bundle (no node_modules to fall back on), imports it and calls `handler(event, context)` once.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** Written next to the bundle; prints `{ ms, result }` where ms = time since the process started. */
const RUNNER = `import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const { handler } = await import(pathToFileURL(bundle).href);
const result = await handler(event, { awsRequestId: 'run-bundle-1', getRemainingTimeInMillis: () => 30000 });
const ms = performance.now();
process.stdout.write(JSON.stringify({ ms, arity: handler.length, result }) + '\\n');
process.exit(0);
`;

export interface BundleRun {
  /** Milliseconds from process start to the handler's answer (Node's own start-up included). */
  ms: number;
  /** `handler.length`: Node.js 24 runtimes refuse callback-style (3-argument) handlers. */
  arity: number;
  result: { statusCode?: number; body?: string; [key: string]: unknown };
  stderr: string;
}

/** A new empty folder with the bundle (and its source map) copied in. */
export function isolateBundle(bundleFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-bundle-'));
  copyFileSync(bundleFile, join(dir, 'index.mjs'));
  if (existsSync(`${bundleFile}.map`)) copyFileSync(`${bundleFile}.map`, join(dir, 'index.mjs.map'));
  writeFileSync(join(dir, 'run.mjs'), RUNNER);
  return join(dir, 'index.mjs');
}

export function runBundle(isolated: string, event: unknown, env: Record<string, string>): Promise<BundleRun> {
  const dir = isolated.slice(0, -basename(isolated).length);
  const eventFile = join(dir, `event-${process.hrtime.bigint()}.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  return new Promise((resolve, reject) => {
    // Only `env`: no PATH, no NODE_PATH, nothing from this machine's setup.
    const child = spawn(process.execPath, [join(dir, 'run.mjs'), isolated, eventFile], {
      cwd: dir,
      env: { NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`bundle run failed (exit ${code}): ${stderr.slice(-2000)}`));
        return;
      }
      resolve({ ...(JSON.parse(line) as Omit<BundleRun, 'stderr'>), stderr });
    });
  });
}
