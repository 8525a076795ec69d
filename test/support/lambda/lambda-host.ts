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

export function startLambdaHost(options: LambdaHostOptions): LambdaHost {
  const isolated = isolateBundle(options.bundleFile);
  const dir = isolated.slice(0, -basename(isolated).length);
  writeFileSync(join(dir, 'runtime.mjs'), RUNTIME);
  const child: ChildProcess = spawn(
    process.execPath,
    [join(dir, 'runtime.mjs'), isolated, String(options.timeoutSeconds * 1000)],
    {
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
    },
  );
  const invocations: Invocation[] = [];
  let logs: string[] = [];
  let stdout: string[] = [];
  let stderrTail = '';
  const waiting = new Map<string, { answer?: Omit<Invocation, 'logs' | 'stdout'>; logsDone: boolean }>();
  const resolvers = new Map<string, (inv: Invocation) => void>();

  const settle = (id: string) => {
    const w = waiting.get(id);
    const resolve = resolvers.get(id);
    if (!w?.answer || !w.logsDone || !resolve) return;
    const inv: Invocation = { ...w.answer, logs, stdout };
    logs = [];
    stdout = [];
    waiting.delete(id);
    resolvers.delete(id);
    invocations.push(inv);
    resolve(inv);
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith(MARK)) return void stdout.push(line);
    const answer = JSON.parse(line.slice(MARK.length)) as Omit<Invocation, 'logs' | 'stdout'>;
    const w = waiting.get(answer.id);
    if (w) w.answer = answer;
    settle(answer.id);
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    stderrTail = `${stderrTail}${line}\n`.slice(-4000);
    if (!line.startsWith(MARK)) return void logs.push(line);
    const id = line.slice(MARK.length);
    const w = waiting.get(id);
    if (w) w.logsDone = true;
    settle(id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const [id, resolve] of resolvers) {
      resolve({ id, error: `the function's process exited (${code}): ${stderrTail}`, ms: 0, logs, stdout });
    }
  });

  let queue = Promise.resolve();
  return {
    name: options.name,
    invocations,
    invoke(event) {
      // One invocation at a time per environment, as Lambda runs them.
      const run = queue.then(
        () =>
          new Promise<Invocation>((resolve) => {
            invocationCounter += 1;
            const id = `${options.name}-${String(invocationCounter).padStart(4, '0')}`;
            waiting.set(id, { logsDone: false });
            resolvers.set(id, resolve);
            child.stdin?.write(`${JSON.stringify({ id, event })}\n`);
          }),
      );
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
