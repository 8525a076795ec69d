// One Lambda execution environment on this machine: a long-lived Node process, in a folder holding the bundle alone
// (no node_modules), with only the environment the function would have. It imports the bundle once (the cold start)
// and then runs one invocation at a time, as Lambda does, each with a Lambda-shaped context. What the function writes
// is kept per stream as CloudWatch Logs would: JSON log lines (stderr) and embedded-metric lines (stdout).
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { isolateBundle } from '../../handlers/lambda/run-bundle.js';

/** Marks the host's own lines on stdout, apart from whatever the function prints there. */
const MARK = '\u0000lambda-host ';

/** Reads invocations from stdin (one JSON line each), answers each on stdout after the function's own output. */
const RUNTIME = `import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
const MARK = ${JSON.stringify(MARK)};
const [bundle, timeoutMs] = process.argv.slice(2);
const started = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const initMs = performance.now() - started;
let first = true;
for await (const line of createInterface({ input: process.stdin })) {
  const { id, event } = JSON.parse(line);
  const deadline = Date.now() + Number(timeoutMs);
  const context = {
    awsRequestId: id,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: '/aws/lambda/' + process.env.AWS_LAMBDA_FUNCTION_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const t0 = performance.now();
  let answer;
  try {
    answer = { ok: true, result: await handler(event, context) };
  } catch (err) {
    answer = { ok: false, error: String(err && err.message ? err.message : err) };
  }
  const ms = performance.now() - t0;
  process.stderr.write(MARK + id + '\\n');
  process.stdout.write(MARK + JSON.stringify({ id, ms, initMs: first ? initMs : undefined, ...answer }) + '\\n');
  first = false;
}
`;

export interface Invocation {
  id: string;
  /** The handler's answer (undefined when it threw: then `error`). */
  result?: unknown;
  error?: string;
  ms: number;
  /** Set on the first invocation: how long importing the bundle took (the cold start's init). */
  initMs?: number;
  /** Log lines (stderr) written during this invocation. */
  logs: string[];
  /** Lines the function printed on stdout during this invocation (embedded-metric lines). */
  stdout: string[];
}

export interface LambdaHost {
  name: string;
  invoke(event: unknown): Promise<Invocation>;
  /** Every invocation so far, in order. */
  invocations: Invocation[];
  close(): Promise<void>;
}

export interface LambdaHostOptions {
  name: string;
  /** The bundle `npm run bundle` wrote (dist/lambda/<name>/index.mjs); copied alone into an empty folder. */
  bundleFile: string;
  /** The function's whole environment: nothing else from this machine reaches it. */
  env: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
}

let invocationCounter = 0;

/** The runtime process: the bundle alone in a folder, with Lambda's own variables and the function's environment. */
function spawnRuntime(options: LambdaHostOptions): ChildProcess {
  const isolated = isolateBundle(options.bundleFile);
  const dir = isolated.slice(0, -basename(isolated).length);
  writeFileSync(join(dir, 'runtime.mjs'), RUNTIME);
  return spawn(process.execPath, [join(dir, 'runtime.mjs'), isolated, String(options.timeoutSeconds * 1000)], {
    cwd: dir,
    env: {
      NODE_NO_WARNINGS: '1',
      AWS_LAMBDA_FUNCTION_NAME: options.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: 'index.handler',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Splits the process's output by invocation. An invocation is over when the runtime's answer (stdout) and its end
 * mark (stderr) have both arrived, so every line the function wrote before answering belongs to it.
 */
function collectOutput(child: ChildProcess) {
  let logs: string[] = [];
  let stdout: string[] = [];
  let stderrTail = '';
  let pending:
    | { id: string; answer?: Omit<Invocation, 'logs' | 'stdout'>; ended?: boolean; resolve(i: Invocation): void }
    | undefined;
  const settle = () => {
    if (!pending?.answer || !pending.ended) return;
    const inv: Invocation = { ...pending.answer, logs, stdout };
    logs = [];
    stdout = [];
    pending.resolve(inv);
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith(MARK) || !pending) return void stdout.push(line);
    pending.answer = JSON.parse(line.slice(MARK.length)) as Omit<Invocation, 'logs' | 'stdout'>;
    settle();
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    stderrTail = `${stderrTail}${line}\n`.slice(-4000);
    if (!line.startsWith(MARK) || !pending) return void logs.push(line);
    pending.ended = true;
    settle();
  });
  child.once('exit', (code) => {
    pending?.resolve({ id: pending.id, error: `the process exited (${code}): ${stderrTail}`, ms: 0, logs, stdout });
  });
  return {
    /** The next invocation's outcome (one at a time). */
    expect: (id: string) =>
      new Promise<Invocation>((resolve) => {
        pending = { id, resolve };
      }),
  };
}

export function startLambdaHost(options: LambdaHostOptions): LambdaHost {
  const child = spawnRuntime(options);
  const output = collectOutput(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const invocations: Invocation[] = [];
  let queue = Promise.resolve();
  return {
    name: options.name,
    invocations,
    invoke(event) {
      // One invocation at a time per environment, as Lambda runs them.
      const run = queue.then(async () => {
        invocationCounter += 1;
        const id = `${options.name}-${String(invocationCounter).padStart(4, '0')}`;
        const outcome = output.expect(id);
        child.stdin?.write(`${JSON.stringify({ id, event })}\n`);
        const inv = await outcome;
        invocations.push(inv);
        return inv;
      });
      queue = run.then(() => undefined);
      return run;
    },
    async close() {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
