// The composition root as the production bundles will use it: built with esbuild (as a Lambda is), run from a folder
// with no node_modules, so a local-only part loaded at import time would fail here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT } from '../support/slack/fake-slack-api.js';
import { aDiagnosis, aStatusReport } from '../support/slack/fixtures.js';
import { eventEnvelope, signEvent, signSlashCommand } from '../support/slack/signer.js';
import { SIGNING_SECRET, startSlackHarness } from '../support/slack/slack-harness.js';

const outDir = mkdtempSync(join(tmpdir(), 'bedrock-doctor-bundle-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function bundle(entry: string): Promise<{ file: string; metafile: Metafile }> {
  const file = join(outDir, `${entry}.mjs`);
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./bundles/${entry}.ts`, import.meta.url))],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
    // Bolt and the SDK are CommonJS and require Node built-ins; an ESM bundle needs a real `require` for them.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return { file, metafile: result.metafile };
}

/** Runs a bundle with exactly `env` (no PATH to node_modules: the bundle sits in a temp folder). */
function run(file: string, env: Record<string, string>) {
  const out = spawnSync(process.execPath, [file], { env: { NODE_NO_WARNINGS: '1', ...env }, encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const SLACK_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-bundle-1',
  SLACK_SIGNING_SECRET: 'bundle-secret',
  // Known bot ids: the start makes no Slack call at all (the API URL below answers nothing).
  SLACK_BOT_ID: 'B0BUNDLE01',
  SLACK_BOT_USER_ID: 'U0BUNDLE01',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBUNDLE',
  AWS_SECRET_ACCESS_KEY: 'bundle',
};

describe('the composition root in a bundle without dynalite', () => {
  let whole: { file: string; metafile: Metafile };
  beforeAll(async () => {
    whole = await bundle('whole-app');
  }, 60_000);

  it('composes the whole app in external mode where dynalite cannot be resolved', () => {
    const out = run(whole.file, { ...SLACK_ENV, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ store: 'external' });
    expect(out.code).toBe(0);
  });

  it('reaches for dynalite only in embedded mode (control: it really is unavailable there)', () => {
    const out = run(whole.file, { ...SLACK_ENV, DATA_DIR: join(outDir, 'data') });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("Cannot find module 'dynalite");
  });

  it('keeps dynalite and LevelDB out of the bundle', () => {
    const inputs = Object.keys(whole.metafile.inputs);
    expect(inputs.some((p) => p.includes('src/store/embedded-dynamodb.ts'))).toBe(true);
    expect(inputs.filter((p) => /node_modules\/(dynalite|level|classic-level)\//.test(p))).toEqual([]);
  });
});

describe('the Slack-facing front', () => {
  it('bundles with no Bedrock or STS client and no embedded store, and composes over a receiver passed in', async () => {
    const front = await bundle('slack-front');
    const inputs = Object.keys(front.metafile.inputs);
    expect(inputs.some((p) => p.includes('@slack/bolt'))).toBe(true);
    expect(inputs.filter((p) => /client-bedrock|client-sts|src\/aws\/|node_modules\/(dynalite|level)/.test(p))).toEqual(
      [],
    );
    const out = run(front.file, { ...SLACK_ENV, DYNAMODB_TABLE_PREFIX: 'test-' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ store: 'external', handler: 'function' });
  }, 60_000);
});

describe('a start that knows its bot ids', () => {
  it('makes no auth.test call, and still ignores its own messages', async () => {
    let diagnosed = 0;
    const h = await startSlackHarness({
      diagnose: () => {
        diagnosed += 1;
        return aDiagnosis();
      },
      checkStatus: async () => aStatusReport('READY'),
      env: { SLACK_BOT_ID: FAKE_BOT.botId, SLACK_BOT_USER_ID: FAKE_BOT.userId },
    });
    try {
      const help = await h.send(
        signSlashCommand(SIGNING_SECRET, { text: 'help', response_url: h.slackApi.responseUrl() }),
      );
      const own = await h.send(
        signEvent(
          SIGNING_SECRET,
          eventEnvelope({
            event: {
              type: 'message',
              channel_type: 'im',
              channel: 'D0DM000001',
              user: FAKE_BOT.userId,
              bot_id: FAKE_BOT.botId,
              text: 'AccessDeniedException',
              ts: '1700000000.000001',
            },
          }),
        ),
      );
      await h.settle();
      expect(help.status).toBe(200);
      expect(own.status).toBe(200);
      expect(diagnosed).toBe(0);
      expect(h.slackApi.callsTo('auth.test')).toEqual([]);
      expect(h.slackApi.callsTo('chat.postMessage')).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
