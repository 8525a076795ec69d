// Lambda entry for the approval flow's reconciler, on an EventBridge schedule (every minute): re-drives activations
// whose job died (by enqueueing them for the worker), reminds approvers, posts cards Slack refused earlier and expires
// requests nobody decided. Composed once per cold start.
import { applyAccountsSeed } from '../../src/runtime/account-directory.js';
import { type BackgroundOptions, composeBackground } from './compose-background.js';
import type { LambdaContext, ScheduledEvent } from './lambda-types.js';

export interface ReconcileSummary {
  redriven: number;
  reminded: number;
  expired: number;
  cardsPosted: number;
}

export interface ReconcilerFunction {
  handle(event: ScheduledEvent, context: LambdaContext): Promise<ReconcileSummary>;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export async function createReconcilerFunction(env: Env, options: BackgroundOptions = {}): Promise<ReconcilerFunction> {
  const bg = await composeBackground(env, 'reconciler', options);
  const flow = bg.slack.approval;
  if (!flow) throw new Error('the approval flow is not composed; the reconciler has nothing to do');
  return {
    handle: (event, context) =>
      bg.logging.within({ awsRequestId: context.awsRequestId, scheduledAt: event.time }, async () => {
        // The deploy's accounts file reaches the registry here: one read when it has not changed.
        await applyAccountsSeed(bg.config, bg.store.accounts, { logger: bg.logging.logger });
        const report = await flow.reconcile();
        // Counts only: the ids are in the flow's own 'reconciled' log line.
        return {
          redriven: report.redriven.length,
          reminded: report.reminded.length,
          expired: report.expired.length,
          cardsPosted: report.cardsPosted.length,
        };
      }),
    close: () => bg.close(),
  };
}

let composed: Promise<ReconcilerFunction> | undefined;

/** The scheduled handler. A failure is logged by Lambda and retried by the next minute's run. */
export async function handler(event: ScheduledEvent, context: LambdaContext): Promise<ReconcileSummary> {
  composed ??= createReconcilerFunction(process.env).catch((err: unknown) => {
    composed = undefined;
    throw err;
  });
  return (await composed).handle(event, context);
}
