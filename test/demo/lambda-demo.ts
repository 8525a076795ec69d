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
import { openStore } from '../../src/store/open-store.js';
import { MODELS } from '../fakes/aws/standard-world.js';
import type { DeployedShape } from '../support/lambda/deployed-shape.js';
import { startDeployedShape } from '../support/lambda/deployed-shape.js';
import type { Invocation } from '../support/lambda/lambda-host.js';
import type { Delivery } from '../support/lambda/sqs-event-source.js';
import {
  buttonPayload,
  cardButtonPayload,
  signInteraction,
  signSlashCommand,
  viewSubmissionPayload,
} from '../support/slack/signer.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';
import { createTranscript } from './transcript.js';

const REQUESTER = 'U0REQUEST1';
const APPROVER = 'U0APPROVER1';
const APPROVER_CHANNEL = 'C0APPROVE1';
const NAMES: Record<string, string> = { [REQUESTER]: '@dana', [APPROVER]: '@alex (approver)' };
const CHANNELS: Record<string, string> = { [APPROVER_CHANNEL]: '#bedrock-approvals', [REQUESTER]: 'DM to @dana' };
const ERROR_TEXT =
  'botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the ' +
  'InvokeModel operation: Model access is denied due to IAM user or service role is not authorized to perform the ' +
  'required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access ' +
  `to this model. (model: ${MODELS.haiku}, region: us-east-1)`;

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

export async function runLambdaDemo(options: LambdaDemoOptions = {}): Promise<LambdaDemoResult> {
  const write = options.write ?? ((line: string) => console.log(line));
  const shape: DeployedShape = await startDeployedShape({
    bundlesDir: options.bundlesDir ?? DEFAULT_OUT_DIR,
    settleMs: options.settleMs ?? 3000,
    settings: { SLACK_APPROVER_USER_IDS: APPROVER, SLACK_APPROVER_CHANNEL: APPROVER_CHANNEL },
    localSettings: { ACTIVATION_POLL_INTERVAL_MS: '500', LOG_LEVEL: 'info' },
  });
  const { slackApi, world } = shape;
  const accountId = shape.account.id;
  const store = await openStore(loadConfig(shape.storeEnv), {
    logger: silentLogger,
    mode: 'external',
    client: shape.dynamo,
  });
  const t = createTranscript({
    slackApi,
    names: NAMES,
    channels: CHANNELS,
    cardChannel: APPROVER_CHANNEL,
    viewer: '@dana',
    write,
  });
  const watcher = setInterval(t.printNew, 50);
  const did = (fn: FunctionName, inv: Invocation, what: string) => {
    const start = inv.initMs === undefined ? 'warm' : `cold start, init ${inv.initMs.toFixed(0)} ms`;
    const failed = inv.error ? ` · FAILED: ${inv.error}` : '';
    write(`  λ ${`bedrock-doctor-${fn}`.padEnd(26)} ${what} · ${inv.ms.toFixed(0)} ms (${start})${failed}`);
  };
  const viaUrl = async (signed: ReturnType<typeof signSlashCommand>, what: string) => {
    const inv = await shape.functionUrl(signed);
    const status = (inv.result as { statusCode?: number } | undefined)?.statusCode;
    did('slack', inv, `Function URL event (${what}) → HTTP ${status}`);
    return inv;
  };
  const deliver = async () => {
    const deliveries: Delivery[] = await shape.deliverJobs();
    const invs = shape.functions.worker.invocations.slice(-deliveries.length);
    deliveries.forEach((d, i) => {
      const inv = invs[i] as Invocation;
      did('worker', inv, `SQS batch [${d.kinds.join(', ')}] → ${d.failed.length} returned to the queue`);
    });
    t.printNew();
  };

  try {
    write('Bedrock Access Doctor — the approval flow through the Lambda bundles, on this machine');
    write(
      '(Function URL events, SQS batches, the schedule; the templates\u2019 IAM in a fake AWS; fake Slack; DynamoDB stand-in).',
    );
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
    const button = buttonPayload(
      ACTION.requestActivation,
      JSON.stringify({ m: MODELS.haiku, r: 'us-east-1' }),
      slackApi.responseUrl('btn'),
    );
    await viaUrl(signInteraction(SIGNING_SECRET, button), 'block_actions');
    t.printNew();

    t.say('@dana writes why she needs it and presses "Send to approvers"');
    const fields = {
      model: MODELS.haiku,
      account: accountId,
      region: 'us-east-1',
      reason: 'Summarise support tickets.',
    };
    await viaUrl(
      signInteraction(SIGNING_SECRET, viewSubmissionPayload(VIEW.requestModal, fields, { userId: REQUESTER })),
      'view_submission',
    );
    await deliver();

    const [request] = await store.repository.listByModel(accountId, 'us-east-1', MODELS.haiku);
    if (!request) throw new Error('the worker stored no request');
    t.say('@alex presses [ Approve ] on the card and confirms "Approve and accept"');
    const approve = cardButtonPayload(ACTION.approve, request.id, slackApi.responseUrl('approve'), {
      userId: APPROVER,
    });
    await viaUrl(signInteraction(SIGNING_SECRET, approve), 'block_actions');
    await deliver();

    t.say('a minute passes: the schedule runs the reconciler');
    const tick = await shape.schedule();
    did('reconciler', tick, `scheduled event → ${JSON.stringify(tick.result)}`);

    const done = await store.repository.get(request.id);
    const trail = await store.repository.auditTrail(request.id);
    // The activation role's session (the functions' own role sessions are sessions too).
    const session = world.sessions().find((x) => x.arn.includes(':assumed-role/bedrock-doctor-activation/'));
    write('\n── what was kept ─────────────────────────────────────────────────────────────────');
    write(`  request ${request.id}: ${done?.state}`);
    write(
      `  audit trail: ${trail.map((e) => `${e.action} by ${NAMES[e.actor.userId] ?? e.actor.userId}`).join(' → ')}`,
    );
    write(
      `  AWS (fake) in account ${accountId}: ${world.callCount('CreateFoundationModelAgreement')} agreement, ` +
        `${world.callCount('PutUseCaseForModelAccess')} use-case form, activation session's SourceIdentity ${session?.sourceIdentity}`,
    );
    const invocations = {
      slack: shape.functions.slack.invocations,
      worker: shape.functions.worker.invocations,
      reconciler: shape.functions.reconciler.invocations,
    };
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
    return { requestState: done?.state, metrics, invocations };
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
