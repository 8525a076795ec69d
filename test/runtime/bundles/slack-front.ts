// Bundle entry for compose.test.ts: what the Slack-facing Lambda composes — the external store and the Slack app over
// a receiver passed in, jobs handed to a queue. It must bundle without Bedrock, STS or dynalite.
import { AwsLambdaReceiver } from '@slack/bolt';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { composeSlackApp } from '../../../src/runtime/compose-slack.js';
import { storeDeliveryLedger } from '../../../src/slack/delivery-ledger.js';
import { openStore } from '../../../src/store/open-store.js';

try {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'error' });
  const store = await openStore(config, { logger, mode: 'external' });
  const receiver = new AwsLambdaReceiver({ signingSecret: config.slack.signingSecret ?? '' });
  const queued: unknown[] = [];
  const slack = composeSlackApp(config, {
    logger,
    transport: { kind: 'receiver', receiver },
    deliveries: storeDeliveryLedger(store.repository),
    jobs: () => ({ enqueue: async (job) => void queued.push(job) }),
    processBeforeResponse: true,
  });
  await slack.init();
  process.stdout.write(`${JSON.stringify({ store: store.mode, handler: typeof receiver.toHandler() })}\n`);
  await store.close();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
