// npm run demo:lambda — the `npm run demo` story played through the deployed shape on this machine: the three
// bundles of `npm run bundle`, each in its own Lambda-like process with the synthesized stack's environment, timeout,
// memory and layers; Slack's requests arrive as Function URL events, jobs as SQS batches from the event source
// mapping, the reconciler's run as the schedule's event. Prints the same transcript, what each function did, and the
// CloudWatch metric lines (embedded metric format) the functions wrote.
import { pathToFileURL } from 'node:url';
import type { FunctionName } from '../../infra/lib/names.js';
import { DEFAULT_OUT_DIR } from '../../scripts/bundle-lambda.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { ACTION, VIEW } from '../../src/slack/action-ids.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { MODELS } from '../fakes/aws/standard-world.js';
import type { DeployedShape } from '../support/lambda/deployed-shape.js';
import { startDeployedShape } from '../support/lambda/deployed-shape.js';
import type { Invocation } from '../support/lambda/lambda-host.js';
import type { Delivery } from '../support/lambda/sqs-event-source.js';
import {
  buttonPayload,
  cardButtonPayload,
  type SignedRequest,
  signInteraction,
  signSlashCommand,
  viewSubmissionPayload,
} from '../support/slack/signer.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';
import { APPROVER, APPROVER_CHANNEL, CHANNELS, ERROR_TEXT, NAMES, REQUESTER } from './story.js';
import { createTranscript, type Transcript } from './transcript.js';

/** One figure from an embedded-metric line. */
export interface MetricPoint {
  function: FunctionName;
  namespace: string;
  name: string;
  unit: string;
  value: number;
  /** Dimensions besides `service`. */
  dimensions: Record<string, string>;
}

export interface LambdaDemoResult {
  requestState: string | undefined;
  metrics: MetricPoint[];
  invocations: Record<FunctionName, Invocation[]>;
}

export interface LambdaDemoOptions {
  /** @default dist/lambda (`npm run bundle`) */
  bundlesDir?: string;
  /** @default console.log */
  write?: (line: string) => void;
  /** How long the fake AWS keeps a new agreement PENDING. @default 3000 */
  settleMs?: number;
}

/** The figures in a function's stdout lines that are CloudWatch embedded-metric-format documents. */
export function metricPoints(fn: FunctionName, lines: string[]): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const line of lines) {
    let doc: Record<string, unknown> & { _aws?: { CloudWatchMetrics?: unknown } };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch {
      continue;
    }
    const directives = doc._aws?.CloudWatchMetrics as
      | Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }>
      | undefined;
    for (const d of directives ?? []) {
      const names = (d.Dimensions[0] ?? []).filter((n) => n !== 'service');
      const dimensions = Object.fromEntries(names.map((n) => [n, String(doc[n])]));
      for (const m of d.Metrics) {
        points.push({
          function: fn,
          namespace: d.Namespace,
          name: m.Name,
          unit: m.Unit,
          value: Number(doc[m.Name]),
          dimensions,
        });
      }
    }
  }
  return points;
}

interface Scene {
  shape: DeployedShape;
  store: Store;
  t: Transcript;
  write: (line: string) => void;
}

/** Sends Slack's requests and jobs the way AWS would, printing one line per invocation. */
function invoker({ shape, t, write }: Scene) {
  const did = (fn: FunctionName, inv: Invocation, what: string) => {
    const start = inv.initMs === undefined ? 'warm' : `cold start, init ${inv.initMs.toFixed(0)} ms`;
    const failed = inv.error ? ` · FAILED: ${inv.error}` : '';
    write(`  λ ${`bedrock-doctor-${fn}`.padEnd(26)} ${what} · ${inv.ms.toFixed(0)} ms (${start})${failed}`);
  };
  return {
    did,
    async viaUrl(signed: SignedRequest, what: string) {
      const inv = await shape.functionUrl(signed);
      const status = (inv.result as { statusCode?: number } | undefined)?.statusCode;
      did('slack', inv, `Function URL event (${what}) → HTTP ${status}`);
      return inv;
    },
    async deliver() {
      const deliveries: Delivery[] = await shape.deliverJobs();
      const invs = shape.functions.worker.invocations.slice(-deliveries.length);
      deliveries.forEach((d, i) => {
        const inv = invs[i] as Invocation;
        did('worker', inv, `SQS batch [${d.kinds.join(', ')}] → ${d.failed.length} returned to the queue`);
      });
      t.printNew();
    },
  };
}

/** why → Request activation → the modal sent → Approve → a tick of the schedule. Returns the request's id. */
async function playStory(scene: Scene): Promise<string> {
  const { shape, store, t } = scene;
  const { slackApi } = shape;
  const { did, viaUrl, deliver } = invoker(scene);
  t.say(`@dana runs: /bedrock why ${ERROR_TEXT.slice(0, 90)}…`);
  const why = await viaUrl(
    signSlashCommand(SIGNING_SECRET, {
      text: `why ${ERROR_TEXT}`,
      user_id: REQUESTER,
      response_url: slackApi.responseUrl('why'),
    }),
    '/bedrock why',
  );
  const ack = JSON.parse(String((why.result as { body?: string }).body || '{}')) as object;
  t.show('reply only @dana sees (the diagnosis card, in the ack)', ack, undefined, 12);

  t.say('@dana presses [ Request activation ] on that card');
  const value = JSON.stringify({ m: MODELS.haiku, r: 'us-east-1' });
  const button = buttonPayload(ACTION.requestActivation, value, slackApi.responseUrl('btn'));
  await viaUrl(signInteraction(SIGNING_SECRET, button), 'block_actions');
  t.printNew();

  t.say('@dana writes why she needs it and presses "Send to approvers"');
  const fields = {
    model: MODELS.haiku,
    account: shape.account.id,
    region: 'us-east-1',
    reason: 'Summarise support tickets.',
  };
  const modal = viewSubmissionPayload(VIEW.requestModal, fields, { userId: REQUESTER });
  await viaUrl(signInteraction(SIGNING_SECRET, modal), 'view_submission');
  await deliver();

  const [request] = await store.repository.listByModel(shape.account.id, 'us-east-1', MODELS.haiku);
  if (!request) throw new Error('the worker stored no request');
  t.say('@alex presses [ Approve ] on the card and confirms "Approve and accept"');
  const approve = cardButtonPayload(ACTION.approve, request.id, slackApi.responseUrl('approve'), { userId: APPROVER });
  await viaUrl(signInteraction(SIGNING_SECRET, approve), 'block_actions');
  await deliver();

  t.say('a minute passes: the schedule runs the reconciler');
  const tick = await shape.schedule();
  did('reconciler', tick, `scheduled event → ${JSON.stringify(tick.result)}`);
  return request.id;
}

/** The request, its audit trail and what AWS recorded. Returns the request's state. */
async function reportKept({ shape, store, write }: Scene, requestId: string): Promise<string | undefined> {
  const { world } = shape;
  const done = await store.repository.get(requestId);
  const trail = await store.repository.auditTrail(requestId);
  // The activation role's session (the functions' own role sessions are sessions too).
  const session = world.sessions().find((x) => x.arn.includes(':assumed-role/bedrock-doctor-activation/'));
  write('\n── what was kept ─────────────────────────────────────────────────────────────────');
  write(`  request ${requestId}: ${done?.state}`);
  write(`  audit trail: ${trail.map((e) => `${e.action} by ${NAMES[e.actor.userId] ?? e.actor.userId}`).join(' → ')}`);
  write(
    `  AWS (fake) in account ${shape.account.id}: ${world.callCount('CreateFoundationModelAgreement')} agreement, ` +
      `${world.callCount('PutUseCaseForModelAccess')} use-case form, ` +
      `activation session's SourceIdentity ${session?.sourceIdentity}`,
  );
  return done?.state;
}

function reportMetrics({ write }: Scene, invocations: Record<FunctionName, Invocation[]>): MetricPoint[] {
  const metrics = (Object.keys(invocations) as FunctionName[]).flatMap((fn) =>
    metricPoints(
      fn,
      invocations[fn].flatMap((i) => i.stdout),
    ),
  );
  write('\n── CloudWatch metrics the functions wrote (embedded metric format, namespace bedrock-doctor) ──');
  for (const m of metrics) {
    const dims = Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`);
    write(`  ${m.function.padEnd(10)} ${m.name}${dims.length ? `{${dims.join(',')}}` : ''} ${m.value} ${m.unit}`);
  }
  return metrics;
}

export async function runLambdaDemo(options: LambdaDemoOptions = {}): Promise<LambdaDemoResult> {
  const write = options.write ?? ((line: string) => console.log(line));
  const shape = await startDeployedShape({
    bundlesDir: options.bundlesDir ?? DEFAULT_OUT_DIR,
    settleMs: options.settleMs ?? 3000,
    settings: { SLACK_APPROVER_USER_IDS: APPROVER, SLACK_APPROVER_CHANNEL: APPROVER_CHANNEL },
    localSettings: { ACTIVATION_POLL_INTERVAL_MS: '500', LOG_LEVEL: 'info' },
  });
  const store = await openStore(loadConfig(shape.storeEnv), {
    logger: silentLogger,
    mode: 'external',
    client: shape.dynamo,
  });
  const t = createTranscript({
    slackApi: shape.slackApi,
    names: NAMES,
    channels: CHANNELS,
    cardChannel: APPROVER_CHANNEL,
    viewer: '@dana',
    write,
  });
  const scene: Scene = { shape, store, t, write };
  const watcher = setInterval(t.printNew, 50);
  try {
    write('Bedrock Access Doctor — the approval flow through the Lambda bundles, on this machine');
    write(
      '(Function URL events, SQS batches, the schedule; the templates\u2019 IAM in a fake AWS; fake Slack; DynamoDB stand-in).',
    );
    const requestId = await playStory(scene);
    const requestState = await reportKept(scene, requestId);
    const { slack, worker, reconciler } = shape.functions;
    const invocations = { slack: slack.invocations, worker: worker.invocations, reconciler: reconciler.invocations };
    return { requestState, metrics: reportMetrics(scene, invocations), invocations };
  } finally {
    clearInterval(watcher);
    await store.close();
    await shape.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  await runLambdaDemo();
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Deploy it: README "Deploy".`);
}
