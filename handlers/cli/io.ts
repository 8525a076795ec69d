// What a CLI command may touch: passed in, so tests run commands in-process with string streams.
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** Exit codes: 0 ok, 1 the check found a problem or failed, 2 usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export type Command = (args: string[], io: CliIo) => Promise<number>;
