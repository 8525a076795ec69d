// The approval flow composed from Config alone, for entry points without a Bolt app: a queue worker that runs
// activation jobs (`runActivationJob(parseActivationJob(message))`) and a scheduled reconciler (`reconcile()`).
// The Slack app composes the same flow through createApp; both talk to Slack through a plain Web API client.
import { webApi } from '@slack/bolt';
import type { EnqueueActivation } from '../access/approval-ports.js';
import type { RequestRepository } from '../access/request-repository.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { type ApprovalFlow, createApprovalFlow, slackInstallation } from '../slack/approval-flow.js';
import { SlackSetupError } from '../slack/create-app.js';
import type { AccessServices } from './compose-access.js';

export interface ComposeApprovalOptions {
  repository: RequestRepository;
  access: Pick<AccessServices, 'checkStatus' | 'activateModel'>;
  /** Where re-driven activations go: the durable queue in production, the worker itself when it runs them here. */
  enqueueActivation: EnqueueActivation;
  logger: Logger;
}

export function composeApprovalFlow(config: Config, options: ComposeApprovalOptions): ApprovalFlow {
  if (!config.slack.botToken) throw new SlackSetupError('SLACK_BOT_TOKEN is required');
  const client = new webApi.WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    // Bounded, like the Slack app's client: a Slack outage must not hold a worker for half an hour.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
  });
  return createApprovalFlow({
    config,
    repository: options.repository,
    checkStatus: options.access.checkStatus,
    activateModel: options.access.activateModel,
    client,
    enqueueActivation: options.enqueueActivation,
    installation: slackInstallation(client),
    logger: options.logger,
  });
}
