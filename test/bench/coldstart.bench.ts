// npm run bench:coldstart — the Slack Lambda's cold start beside a bare Bolt AwsLambdaReceiver app. Both are bundled
// with the same esbuild options (scripts/bundle-lambda.ts); ours also gets its trims (trimForLambda: unused receivers,
// OAuth, the credential chain, zod's translations), which the bare app, written as any Bolt user would, does not. Each run is a fresh Node process in an
// empty folder that imports the bundle and answers one signed `/bedrock why` Function URL event (no network: the
// answer is pure and the bot ids are known). Runs alternate between the two; medians are reported.
// Prints figures, then one JSON line.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleLambda, lambdaBuildOptions, ROOT, trimForLambda } from '../../scripts/bundle-lambda.js';
import { functionUrlEvent } from '../handlers/lambda/lambda-fixture.js';
import { isolateBundle, runBundle } from '../handlers/lambda/run-bundle.js';
import { signSlashCommand } from '../support/slack/signer.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SECRET = 'bench-signing-secret';
const PASTED =
  'An error occurred (AccessDeniedException) when calling the InvokeModel operation: You don\u2019t have access to ' +
  'the model with the specified model ID.';

const ENV: Record<string, string> = {
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_BOT_TOKEN: 'xoxb-bench-token',
  SLACK_BOT_ID: 'B0BENCH001',
  SLACK_BOT_USER_ID: 'U0BENCH001',
  // Set as the stack sets them; `why` reaches neither (nothing listens on port 9).
  DYNAMODB_TABLE_PREFIX: 'bench-',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  JOB_QUEUE_URL: 'http://127.0.0.1:9/123456789012/bench-jobs',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  LOG_LEVEL: 'warn',
  // As the stack runs the functions (both bundles carry a linked source map).
  NODE_OPTIONS: '--enable-source-maps',
};

const outDir = mkdtempSync(join(tmpdir(), 'coldstart-'));
const ours = await bundleLambda('slack', outDir);
const bareFile = join(outDir, 'bare', 'index.mjs');
await build(lambdaBuildOptions(join(ROOT, 'test', 'bench', 'bare-bolt-lambda.ts'), bareFile));
// For the record: the bare app with our trims too (not the baseline; nobody ships a Bolt app that way by default).
const bareTrimmedFile = join(outDir, 'bare-trimmed', 'index.mjs');
await build({
  ...lambdaBuildOptions(join(ROOT, 'test', 'bench', 'bare-bolt-lambda.ts'), bareTrimmedFile),
  plugins: [trimForLambda()],
});

const targets = [
  { name: 'ours', file: isolateBundle(ours.file), times: [] as number[] },
  { name: 'bare', file: isolateBundle(bareFile), times: [] as number[] },
];

function event() {
  const signed = signSlashCommand(SECRET, { text: `why ${PASTED}`, response_url: 'http://127.0.0.1:9/response/1' });
  return functionUrlEvent(signed, { base64: true });
}

for (let i = 0; i < RUNS; i += 1) {
  // Alternate who goes first, so drift on a shared machine hits both alike.
  for (const t of i % 2 === 0 ? targets : [...targets].reverse()) {
    const run = await runBundle(t.file, event(), ENV);
    if (run.result.statusCode !== 200) throw new Error(`${t.name}: HTTP ${run.result.statusCode} ${run.stderr}`);
    if (t.name === 'ours' && !String(run.result.body).includes('blocks')) throw new Error('ours: no diagnosis card');
    t.times.push(run.ms);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const [oursT, bareT] = targets as [(typeof targets)[0], (typeof targets)[0]];
const bundleBytes = ours.bytes;
const bareBytes = statSync(bareFile).size;
const coldMs = median(oursT.times);
const bareColdMs = median(bareT.times);

const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
process.stdout.write(`cold start, ${RUNS} fresh processes each (median; min-max), signed /bedrock why, base64 body\n`);
for (const t of targets) {
  const s = [...t.times].sort((a, b) => a - b);
  process.stdout.write(
    `  ${t.name.padEnd(5)} ${median(t.times).toFixed(1).padStart(7)} ms  (${s[0]?.toFixed(1)}-${s.at(-1)?.toFixed(1)})\n`,
  );
}
process.stdout.write(
  `bundle  ours ${kib(bundleBytes)}, bare ${kib(bareBytes)} (${(bundleBytes / bareBytes).toFixed(2)}x; ` +
    `target <= 1.25x); bare with our trims would be ${kib(statSync(bareTrimmedFile).size)}\n`,
);
process.stdout.write(
  `${JSON.stringify({
    bundle_bytes: bundleBytes,
    bare_bundle_bytes: bareBytes,
    cold_ms: round(coldMs),
    bare_cold_ms: round(bareColdMs),
    ratio: round(coldMs / bareColdMs, 3),
  })}\n`,
);
