// Tests that run the compiled app (`npm start`, the bin) need dist/ current: compile when it is missing or older
// than any source file.
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function ensureBuilt(): Promise<void> {
  const newestSource = Math.max(...['src', 'handlers'].flatMap((dir) => mtimes(`${ROOT}${dir}`)));
  const oldestBuilt = mtimes(`${ROOT}dist/handlers`)[0] ?? 0;
  if (oldestBuilt < newestSource) await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
}

function mtimes(dir: string): number[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name))
      .map((e) => statSync(`${e.parentPath}/${e.name}`).mtimeMs)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}
