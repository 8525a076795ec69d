// `bedrock-doctor why`: explains a pasted Bedrock error in a terminal, as JSON, or line by line for scripts.
import type { Readable } from 'node:stream';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Diagnosis } from '../../src/diagnosis/types.js';
import { type CliIo, type Command, EXIT, toJson, visible } from './io.js';
import { renderDiagnosis } from './render-diagnosis.js';

/** The engine reads at most 256 KiB; the CLI cuts bytes at the same size and says so. */
export const MAX_INPUT_BYTES = 256 * 1024;
/** A JSON line may carry a full 256 KiB text plus JSON escaping. */
const MAX_JSONL_LINE_BYTES = 2 * MAX_INPUT_BYTES;

const WHY_USAGE = `Usage:
  bedrock-doctor why "<pasted error>"        explain an error
  bedrock-doctor why [-]                     read the error from stdin
  bedrock-doctor why --json ["<error>"|-]    one Diagnosis as JSON
  bedrock-doctor why --jsonl < in.jsonl      {"id","text"} per line in, {"id", …Diagnosis} per line out
`;

interface Options {
  format: 'text' | 'json' | 'jsonl';
  text?: string;
  stdin: boolean;
}

function parseArgs(args: string[]): Options | string {
  const options: Options = { format: 'text', stdin: false };
  const positional: string[] = [];
  let literal = false;
  for (const arg of args) {
    if (literal) positional.push(arg);
    else if (arg === '--') literal = true;
    else if (arg === '--json') options.format = options.format === 'jsonl' ? 'jsonl' : 'json';
    else if (arg === '--jsonl') options.format = 'jsonl';
    else if (arg === '-') options.stdin = true;
    else if (arg.startsWith('--')) return `Unknown option "${arg}".`;
    else positional.push(arg);
  }
  if (options.format === 'jsonl' && positional.length > 0) return '--jsonl reads JSON lines from stdin only.';
  if (options.stdin && positional.length > 0) return 'Give the error as an argument or on stdin ("-"), not both.';
  // Unquoted text arrives as several arguments: join them back.
  if (positional.length > 0) options.text = positional.join(' ');
  return options;
}

export const why: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(WHY_USAGE);
    return EXIT.ok;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.stderr.write(`bedrock-doctor why: ${visible(options)}\n\n${WHY_USAGE}`);
    return EXIT.usage;
  }
  const fromStdin = options.stdin || options.text === undefined;
  if (fromStdin && isInteractive(io.stdin) && !options.stdin) {
    io.stderr.write(`bedrock-doctor why: no error text given.\n\n${WHY_USAGE}`);
    return EXIT.usage;
  }
  if (options.format === 'jsonl') return runJsonl(io);

  let input: string;
  let cut = false;
  if (fromStdin) {
    const read = await readCapped(io.stdin, MAX_INPUT_BYTES);
    input = read.text;
    cut = read.truncated;
  } else {
    const capped = capUtf8(options.text ?? '', MAX_INPUT_BYTES);
    input = capped.text;
    cut = capped.truncated;
  }
  if (input.trim() === '') {
    io.stderr.write(`bedrock-doctor why: no error text given.\n\n${WHY_USAGE}`);
    return EXIT.usage;
  }
  const diagnosis = diagnose(input);
  if (cut) diagnosis.truncated = true;
  if (diagnosis.truncated) {
    io.stderr.write('bedrock-doctor why: input is larger than 256 KB; only the first 256 KB was diagnosed.\n');
  }
  if (options.format === 'json') io.stdout.write(`${toJson(diagnosis, 2)}\n`);
  else io.stdout.write(renderDiagnosis(diagnosis, { color: useColor(io) }));
  return EXIT.ok;
};

function isInteractive(stream: Readable): boolean {
  return (stream as Readable & { isTTY?: boolean }).isTTY === true;
}

function useColor(io: CliIo): boolean {
  const out = io.stdout as typeof io.stdout & { isTTY?: boolean };
  return out.isTTY === true && !io.env.NO_COLOR;
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
function capUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8').subarray(0, maxBytes);
  return { text: decodeCut(bytes), truncated: true };
}

/** Decodes bytes cut at an arbitrary point, dropping a trailing partial character. */
function decodeCut(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/\uFFFD$/, '');
}

/** Reads stdin up to `maxBytes`, then keeps draining (so a writer never gets EPIPE) without storing the rest. */
async function readCapped(stream: Readable, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    if (size >= maxBytes) {
      truncated ||= buf.length > 0;
      continue;
    }
    const room = maxBytes - size;
    if (buf.length > room) truncated = true;
    const kept = buf.length > room ? buf.subarray(0, room) : buf;
    chunks.push(kept);
    size += kept.length;
  }
  const all = Buffer.concat(chunks);
  return { text: truncated ? decodeCut(all) : all.toString('utf8'), truncated };
}

/** Splits a stream into lines without holding more than one (capped) line in memory. */
async function* lines(stream: Readable): AsyncGenerator<{ line: string; tooLong: boolean }> {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  let tooLong = false;
  for await (const chunk of stream) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      const part = buf.subarray(0, nl);
      if (!tooLong && pendingSize + part.length <= MAX_JSONL_LINE_BYTES) pending.push(part);
      else tooLong = true;
      yield { line: Buffer.concat(pending).toString('utf8'), tooLong };
      pending = [];
      pendingSize = 0;
      tooLong = false;
      buf = buf.subarray(nl + 1);
    }
    if (!tooLong && pendingSize + buf.length <= MAX_JSONL_LINE_BYTES) {
      pending.push(buf);
      pendingSize += buf.length;
    } else {
      tooLong = true;
    }
  }
  if (pendingSize > 0 || tooLong) yield { line: Buffer.concat(pending).toString('utf8'), tooLong };
}

type JsonlOutput = ({ id: unknown } & Diagnosis) | { id: unknown; error: string };

function diagnoseLine(line: string, tooLong: boolean): JsonlOutput {
  if (tooLong) return { id: null, error: `line longer than ${MAX_JSONL_LINE_BYTES} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { id: null, error: 'invalid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { id: null, error: 'expected a JSON object {"id": …, "text": "…"}' };
  }
  const record = parsed as Record<string, unknown>;
  const id = 'id' in record ? record.id : null;
  if (typeof record.text !== 'string') return { id, error: '"text" must be a string' };
  const capped = capUtf8(record.text, MAX_INPUT_BYTES);
  const diagnosis = diagnose(capped.text);
  if (capped.truncated) diagnosis.truncated = true;
  return { id, ...diagnosis };
}

async function runJsonl(io: CliIo): Promise<number> {
  let failures = 0;
  for await (const { line, tooLong } of lines(io.stdin)) {
    if (!tooLong && line.trim() === '') continue;
    const out = diagnoseLine(line, tooLong);
    if ('error' in out) failures++;
    const ok = io.stdout.write(`${toJson(out)}\n`);
    if (!ok) await new Promise<void>((resolve) => io.stdout.once('drain', resolve));
  }
  if (failures > 0) io.stderr.write(`bedrock-doctor why: ${failures} input line(s) could not be read.\n`);
  return failures > 0 ? EXIT.failed : EXIT.ok;
}
