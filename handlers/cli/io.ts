// What a CLI command may touch: passed in, so tests run commands in-process with string streams.
import type { Readable, Writable } from 'node:stream';
import { escapeInvisiblesInJson, revealInvisibles } from '../../src/diagnosis/invisible-chars.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** Exit codes: 0 ok, 1 the check found a problem or failed, 2 usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export type Command = (args: string[], io: CliIo) => Promise<number>;

// Escape sequences and other control characters would restyle or rewrite the terminal (tab and newline stay).
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Text from outside (pasted, typed, or from AWS) as a terminal may show it: control characters dropped, invisible
 * format characters written as `<U+202E>` so they can neither hide text nor reorder the line (hostile pastes).
 */
export function visible(text: string): string {
  return revealInvisibles(text).replace(TERMINAL_CONTROLS, '');
}

/** JSON for stdout: the same values, with invisible characters as `\uXXXX` escapes a terminal shows as text. */
export function toJson(value: unknown, indent?: number): string {
  return escapeInvisiblesInJson(JSON.stringify(value, null, indent));
}
