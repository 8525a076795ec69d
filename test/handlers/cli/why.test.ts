// `bedrock-doctor why` run in-process through `main` with string streams, plus one run of the real binary.
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../handlers/cli/io.js';
import { main } from '../../../handlers/cli.js';

const MARKETPLACE =
  'An error occurred (AccessDeniedException) when calling the Converse operation: Model access is denied due to User: arn:aws:sts::123456789012:assumed-role/app-role/s1 is not authorized to perform: aws-marketplace:ViewSubscriptions on resource: * because no identity-based policy allows the aws-marketplace:ViewSubscriptions action.';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], stdin: string | Buffer | null = '', options: { tty?: boolean } = {}): Promise<Run> {
  const input = stdin === null ? new PassThrough() : Readable.from(stdin === '' ? [] : [Buffer.from(stdin)]);
  if (options.tty) Object.assign(input, { isTTY: true });
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  err.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const io: CliIo = { stdin: input, stdout: out, stderr: err, env: {} };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('bedrock-doctor why', () => {
  it('explains an error given as an argument, readable in a terminal', async () => {
    const { code, stdout, stderr } = await run(['why', MARKETPLACE]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Category: marketplace_subscription_missing');
    expect(stdout).toContain('Facts');
    expect(stdout).toMatch(/Caller\s+arn:aws:sts::123456789012:assumed-role\/app-role\/s1/);
    expect(stdout).toContain('What to do');
    expect(stdout).toMatch(/ {2}1\. Ask an admin to activate .* \(recommended\)/);
    expect(stdout).toContain('       aws iam put-role-policy --role-name app-role');
    expect(stdout).not.toContain('\u001b['); // no colours when stdout is not a terminal
  });

  it('joins an unquoted error given as several arguments', async () => {
    const { code, stdout } = await run(['why', '--json', 'ThrottlingException:', 'Too', 'many', 'requests']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).category).toBe('throttling_or_quota');
  });

  it('reads the error from stdin with "-" or with no argument', async () => {
    for (const argv of [['why', '-'], ['why']]) {
      const { code, stdout } = await run(argv, 'The security token included in the request is expired');
      expect(code).toBe(0);
      expect(stdout).toContain('credentials_invalid_or_expired');
    }
  });

  it('prints one Diagnosis object with --json', async () => {
    const { code, stdout } = await run(['why', '--json', MARKETPLACE]);
    expect(code).toBe(0);
    const diagnosis = JSON.parse(stdout);
    expect(diagnosis).toMatchObject({
      category: 'marketplace_subscription_missing',
      activationCanHelp: true,
      facts: { operation: 'Converse', accountId: '123456789012' },
    });
    expect(diagnosis.steps.length).toBeGreaterThan(1);
  });

  it('shows usage and exits 2 when there is no text', async () => {
    const empty = await run(['why'], '   \n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no error text given');
    expect(empty.stderr).toContain('Usage:');
    const tty = await run(['why'], null, { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stdout).toBe('');
  });

  it('rejects unknown options with usage and exit 2', async () => {
    const { code, stderr } = await run(['why', '--yaml', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown option "--yaml"');
  });

  it('diagnoses the first 256 KB of a larger input and says so', async () => {
    const text = `An error occurred (ThrottlingException) when calling the InvokeModel operation: Too many requests\n${'log line\n'.repeat(40_000)}`;
    const { code, stdout, stderr } = await run(['why', '--json'], text);
    expect(code).toBe(0);
    expect(stderr).toContain('only the first 256 KB was diagnosed');
    const diagnosis = JSON.parse(stdout);
    expect(diagnosis.truncated).toBe(true);
    expect(diagnosis.category).toBe('throttling_or_quota');
  });

  it('survives NUL bytes, binary junk and a 40 KB single line', async () => {
    const binary = Buffer.concat([
      Buffer.from([0, 1, 2, 255, 254, 0]),
      Buffer.from(` ${MARKETPLACE} `),
      Buffer.alloc(64),
    ]);
    const withNul = await run(['why', '--json'], binary);
    expect(withNul.code).toBe(0);
    expect(JSON.parse(withNul.stdout).category).toBe('marketplace_subscription_missing');

    const line = `${'x'.repeat(20_000)} Your request rate is too high. ${'y'.repeat(20_000)}`;
    const long = await run(['why'], line);
    expect(long.code).toBe(0);
    expect(long.stdout).toContain('throttling_or_quota');
  });

  it('answers --jsonl line by line, in order, with an error object for a bad line', async () => {
    const input = [
      JSON.stringify({ id: 'a', text: MARKETPLACE }),
      '{not json',
      JSON.stringify({ id: 7, text: 'Operation not allowed' }),
      JSON.stringify({ id: 'no-text' }),
      '',
      JSON.stringify({ id: 'c', text: 'The provided model identifier is invalid.' }),
    ].join('\n');
    const { code, stdout, stderr } = await run(['why', '--jsonl'], input);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', null, 7, 'no-text', 'c']);
    expect(lines[0].category).toBe('marketplace_subscription_missing');
    expect(lines[1]).toEqual({ id: null, error: 'invalid JSON' });
    expect(lines[2].category).toBe('account_restricted');
    expect(lines[3]).toEqual({ id: 'no-text', error: '"text" must be a string' });
    expect(lines[4].category).toBe('model_not_found_or_eol');
    expect(code).toBe(1);
    expect(stderr).toContain('2 input line(s) could not be read');
  });

  it('exits 0 for --jsonl when every line is valid', async () => {
    const { code, stdout } = await run(['why', '--jsonl'], `${JSON.stringify({ id: 1, text: 'Too many tokens' })}\n`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: 1, category: 'throttling_or_quota' });
  });
});

describe('bedrock-doctor why: look-alike and invisible characters (issue 9)', () => {
  const LOOKALIKE = MARKETPLACE.replace(
    'on resource: *',
    'on resource: \u0430rn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
  );
  const INVISIBLE = /[\p{Cf}]/u;

  it('says a look-alike ARN is not trusted, in text and in --json, and reads nothing from it', async () => {
    const text = await run(['why', LOOKALIKE]);
    expect(text.stdout).toContain('Not trusted');
    expect(text.stdout).toContain(
      '  ! <U+0430>rn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 looks\n' +
        '    like an ARN but contains look-alike characters (U+0430); nothing was read from it.',
    );
    expect(text.stdout).not.toMatch(/^\s+(Model|Region)\s/m);

    const json = JSON.parse((await run(['why', '--json', LOOKALIKE])).stdout);
    expect(json.facts.modelId).toBeUndefined();
    expect(json.facts.region).toBeUndefined();
    expect(json.lookalikes).toEqual([expect.objectContaining({ imitates: 'ARN', characters: ['U+0430'] })]);
  });

  it('prints no invisible format character in text, --json or --jsonl output', async () => {
    const pasted = `${MARKETPLACE} model \u202Eanthropic.claude-v2\u202C \u2066x\u2069 \u200Bzero\uFEFF\u{E0041}`;
    const text = await run(['why', pasted]);
    const json = await run(['why', '--json', pasted]);
    const jsonl = await run(['why', '--jsonl'], `${JSON.stringify({ id: '\u202Eid', text: pasted })}\n`);
    for (const r of [text, json, jsonl]) {
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(INVISIBLE);
    }
    // JSON keeps the value, escaped so a terminal cannot obey it.
    expect(jsonl.stdout).toContain('"id":"\\u202eid"');
    expect(JSON.parse(jsonl.stdout).id).toBe('\u202Eid');
  });

  it('shows an invisible character in a typed option or model reference as <U+XXXX>', async () => {
    const option = await run(['why', '--js\u202Eon', 'x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('Unknown option "--js<U+202E>on".');
    const status = await run(['status', 'anthropic.claude\u202E-v2']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('"anthropic.claude<U+202E>-v2" is not a Bedrock model id');
    expect(status.stderr).not.toMatch(INVISIBLE);
  });
});

describe('bedrock-doctor binary', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const bin = `${root}bin/bedrock-doctor.js`;

  beforeAll(async () => {
    // The bin runs the compiled CLI: (re)compile when dist is missing or older than any source file.
    const newestSource = Math.max(...['src', 'handlers'].flatMap((dir) => mtimes(`${root}${dir}`)));
    const built = mtimes(`${root}dist/handlers/cli`)[0] ?? 0;
    if (built < newestSource) await promisify(execFile)('npm', ['run', 'build'], { cwd: root });
  }, 120_000);

  it('explains an error end to end through the installed entry point', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'why', '--json', 'Operation not allowed'], {
      cwd: root,
    });
    expect(JSON.parse(stdout).category).toBe('account_restricted');
  });
});

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
