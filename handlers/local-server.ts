// `npm start`: the Slack app on this machine. Socket Mode when SLACK_APP_TOKEN is set, otherwise Bolt's HTTP
// receiver on PORT at /slack/events. Embedded state, AWS through the standard credential chain.
// Bad or missing settings end the process with exit code 1 and a message naming each variable; never a stack trace.
// SIGTERM/SIGINT stop it cleanly (`npm start` execs node so the signal reaches it; see README "Running it").
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import { messageOf } from '../src/errors.js';
import { runEvery } from '../src/jobs/run-every.js';
import { createLogger } from '../src/log.js';
import { type Composed, CompositionError, compose } from '../src/runtime/compose.js';
import { SLACK_EVENTS_PATH, SlackSetupError } from '../src/slack/create-app.js';
import { slackErrorCode } from '../src/slack/slack-jobs.js';

export const README_POINTER = 'See README.md, section "Slack app", for where to find each value.';

export interface LocalServerIo {
  /** Settings (process.env for `npm start`); also where the AWS SDK reads endpoint overrides and keys. */
  env: Record<string, string | undefined>;
}

export interface RunningLocalServer {
  mode: 'socket' | 'http';
  /** The HTTP port (HTTP mode). */
  port?: number;
  stop(): Promise<void>;
}

/** A problem the person starting the app can fix; its message is all they need to see. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** The Slack variables `npm start` needs and does not have. */
export function missingSlackSettings(config: Config): string[] {
  const missing: string[] = [];
  if (!config.slack.botToken) missing.push('SLACK_BOT_TOKEN');
  // Socket Mode authenticates with the app token; HTTP mode must verify every request's signature.
  if (!config.slack.appToken && !config.slack.signingSecret) missing.push('SLACK_SIGNING_SECRET');
  return missing;
}

export async function startLocalServer(io: LocalServerIo): Promise<RunningLocalServer> {
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new StartupError(`${err.message}\n${README_POINTER}`);
    throw err;
  }
  const missing = missingSlackSettings(config);
  if (missing.length > 0) {
    throw new StartupError(
      `Missing Slack settings: ${missing.join(', ')}.\n` +
        `Set ${missing.length > 1 ? 'them' : 'it'} in the environment (an empty value counts as missing). ${README_POINTER}`,
    );
  }

  const logger = createLogger({ level: config.logLevel, base: { service: 'bedrock-doctor' } });
  const socketMode = Boolean(config.slack.appToken);
  let composed: Composed;
  try {
    composed = await compose(config, { logger, env: io.env, transport: { kind: socketMode ? 'socket' : 'http' } });
  } catch (err) {
    if (err instanceof CompositionError) throw new StartupError(err.message);
    if (err instanceof SlackSetupError) throw new StartupError(`${err.message}. ${README_POINTER}`);
    throw err;
  }
  const { slack } = composed;
  const closeAll = () => composed.close();

  // Fail now, clearly, if Slack does not accept the token (rather than on the first command).
  try {
    await slack.init();
  } catch (err) {
    await closeAll();
    if (err instanceof SlackSetupError) throw new StartupError(`${err.message}. ${README_POINTER}`);
    throw err;
  }

  let server: Server | undefined;
  try {
    server = (socketMode ? await slack.app.start() : await slack.app.start(config.slack.port)) as Server | undefined;
  } catch (err) {
    await closeAll();
    const code = slackErrorCode(err) ?? messageOf(err);
    throw new StartupError(
      socketMode
        ? `Slack did not accept SLACK_APP_TOKEN (${code}). ${README_POINTER}`
        : `Could not listen on PORT ${config.slack.port} (${code}).`,
    );
  }
  const port = socketMode ? undefined : (server?.address() as AddressInfo | null)?.port;
  // Re-drives activations a killed process left behind, reminds approvers and expires stale requests.
  const approval = slack.approval;
  const reconciler = approval
    ? runEvery(() => approval.reconcile(), config.approval.reconcileIntervalMs, logger, 'reconciler')
    : undefined;
  logger.info(
    socketMode ? 'Slack app connected through Socket Mode' : `Slack app listening on :${port}${SLACK_EVENTS_PATH}`,
    { mode: socketMode ? 'socket' : 'http', pid: process.pid },
  );

  return {
    mode: socketMode ? 'socket' : 'http',
    port,
    async stop() {
      // Whatever fails on the way down, jobs finish and the store and AWS clients are still closed.
      try {
        await reconciler?.stop();
        await slack.app.stop();
      } finally {
        await closeAll();
      }
      logger.info('stopped');
    },
  };
}

async function main(): Promise<void> {
  // A stray rejection (a library's background reconnect, a socket hiccup) is logged; no network moment may end the
  // process. Errors that mean the app cannot go on are handled where they happen (start-up exits 1).
  const safetyLog = createLogger({ level: 'error', base: { service: 'bedrock-doctor' } });
  process.on('unhandledRejection', (reason) => {
    safetyLog.error('unhandled rejection; still running', { err: reason });
  });
  // Installed before start: a signal that arrives while the app starts (or the moment it logs "listening") is not lost.
  let running: RunningLocalServer | undefined;
  let stopRequested = false;
  const stopAndExit = (app: RunningLocalServer) =>
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`bedrock-doctor: could not stop cleanly: ${messageOf(err)}\n`);
        process.exit(1);
      },
    );
  const shutdown = () => {
    if (stopRequested) return;
    stopRequested = true;
    if (running) void stopAndExit(running);
    else {
      // Start-up finishes first (then stops at once), unless it hangs, e.g. waiting for Slack to come back.
      setTimeout(() => {
        process.stderr.write('bedrock-doctor: stopped while still starting\n');
        process.exit(0);
      }, 10_000).unref();
    }
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  try {
    running = await startLocalServer({ env: process.env });
    if (stopRequested) void stopAndExit(running);
  } catch (err) {
    const message = err instanceof StartupError ? err.message : `could not start: ${messageOf(err)}`;
    process.stderr.write(`bedrock-doctor: ${message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
