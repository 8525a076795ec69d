// The AWS half of the composition root: builds the Bedrock/STS SDK adapters once from Config and wires the use cases
// (status checker, activator) to them. Only entry points that call AWS import this (CLI, local server, worker), so the
// Slack-facing Lambda bundle holds no Bedrock or STS client. Tests pass an env pointing at the local fake AWS.
import { type AccountDirectory, staticAccounts } from '../access/account-registry.js';
import type { ActivateModel } from '../access/activation/activate-model.js';
import { createModelActivator } from '../access/activation/activate-model.js';
import type { ActivationLease } from '../access/activation/activation-lease.js';
import { createStatusChecker } from '../access/check-status.js';
import type { AwsPorts, Clock } from '../access/ports.js';
import type { CheckStatus } from '../access/status-report.js';
import { type AwsClientOptions, createAwsClients } from '../aws/aws-clients.js';
import type { Config } from '../config.js';

export interface AccessServiceOptions extends AwsClientOptions {
  /** Per-call budget for status checks. @default 8000 */
  callTimeoutMs?: number;
  clock?: Clock;
  /** Reads the use-case form file. @default fs.readFileSync */
  readFile?: (path: string) => string;
  /** Use these ports instead of real SDK clients (rarely needed: prefer the fake AWS server). */
  aws?: AwsPorts;
  /** The registry status checks and activations read. @default config.accounts, fixed */
  accounts?: AccountDirectory;
  /** Cross-process single flight for activations (the state store's); without it, only this process is covered. */
  lease?: ActivationLease;
  /** How long the lease holds unless renewed. @default 30000 */
  leaseTtlMs?: number;
}

export interface AccessServices {
  checkStatus: CheckStatus;
  activateModel: ActivateModel;
  aws: AwsPorts;
  /** Closes the SDK clients (their HTTP/2 sessions keep a process alive). */
  close(): void;
}

export function createAccessServices(
  config: Pick<Config, 'accounts' | 'activation'> & Partial<Pick<Config, 'aws'>>,
  options: AccessServiceOptions = {},
): AccessServices {
  const clients = options.aws
    ? undefined
    : createAwsClients({ ...options, maxAttempts: options.maxAttempts ?? config.aws?.maxAttempts });
  const aws = options.aws ?? (clients as AwsPorts);
  const accounts = options.accounts ?? staticAccounts(config.accounts);
  return {
    aws,
    checkStatus: createStatusChecker({ accounts, aws, callTimeoutMs: options.callTimeoutMs }),
    activateModel: createModelActivator({
      config,
      accounts,
      aws,
      clock: options.clock,
      readFile: options.readFile,
      lease: options.lease,
      leaseTtlMs: options.leaseTtlMs,
    }),
    close: () => clients?.destroy(),
  };
}
