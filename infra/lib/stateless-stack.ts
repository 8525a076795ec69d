// infra: everything a code deploy may replace — the three functions, the Function URL, the job queue and its DLQ,
// the reconciler's schedule, the Slack secret's reference and the alarms. The table comes from the stateful stack.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Annotations,
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  Names,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  FunctionUrlAuthType,
  Function as LambdaFn,
  LayerVersion,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { loadUseCaseForm } from '../../src/access/use-case-form.js';
import {
  ASSUME_ACTIVATION_ROLE_ACTIONS,
  ASSUME_READ_ROLE_ACTIONS,
  JOB_QUEUE_SEND_ACTIONS,
  SLACK_SECRET_ACTIONS,
  TABLE_ITEM_ACTIONS,
} from '../../src/aws/iam-actions.js';
import { type AccountConfig, parseAccounts } from '../../src/config.js';
import {
  MAX_RECEIVE_COUNT,
  QUEUE_VISIBILITY_TIMEOUT_SECONDS,
  WORKER_TIMEOUT_SECONDS,
} from '../../src/jobs/queue-timing.js';
import { tableName } from '../../src/store/table-design.js';
import { addFlowDashboard } from './flow-dashboard.js';
import { frontDoorAlarms } from './front-door-alarms.js';
import { DEFAULT_STAGE, type FunctionName, resourceName, roleName } from './names.js';

/** Settings that must come from Secrets Manager, never from the template. */
const SECRET_SETTINGS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_PREVIOUS_SIGNING_SECRET'];

/** Re-exported for the stack's tests; defined beside the other identities' actions. */
export { TABLE_ITEM_ACTIONS };

/** What Lambda's SQS poller calls with the worker's role (AWSLambdaSQSQueueExecutionRole's actions). */
export const SQS_EVENT_SOURCE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

// The queue's timings come from src/jobs/queue-timing.ts: the worker refuses jobs older than they allow.
export const WORKER_TIMEOUT = Duration.seconds(WORKER_TIMEOUT_SECONDS);
/** AWS's advice for SQS event sources: at least six times the function timeout, so a retry never overlaps a run. */
export const QUEUE_VISIBILITY_TIMEOUT = Duration.seconds(QUEUE_VISIBILITY_TIMEOUT_SECONDS);
/** Per-run settle wait of an activation in the worker (ACTIVATION_DEADLINE_SECONDS), below WORKER_TIMEOUT. */
export const WORKER_ACTIVATION_DEADLINE_SECONDS = 40;
export { MAX_RECEIVE_COUNT };
/** Worker runs at once from the queue: enough for a burst of approvals, far below the account's Lambda quota. */
export const DEFAULT_WORKER_MAX_CONCURRENCY = 5;
/** Worker instances the status-check queue may keep busy at once (the event source's maximum concurrency). */
export const STATUS_WORKER_MAX_CONCURRENCY = 5;

export interface StatelessStackProps extends StackProps {
  /**
   * `DYNAMODB_TABLE_PREFIX`: makes the functions use the external table, never an embedded store. The table is
   * found by this name, not by a cross-stack export, so the stateful stack never waits on this one.
   */
  tablePrefix: string;
  /** Complete ARN of the JSON secret holding `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET`; else a stack parameter. */
  slackSecretArn?: string;
  /**
   * The registered accounts (`-c accountsFile`); their roles are the only ones the functions may assume. They seed the
   * registry in the table: shipped to the reconciler in a layer, never in an environment (Lambda caps it at 4 KB).
   */
  accounts: AccountConfig[];
  /** Plain settings for every function (`SLACK_BOT_ID`, `SLACK_BOT_USER_ID`, `SLACK_APPROVER_CHANNEL` …). */
  settings?: Record<string, string>;
  /** @default the bundles `npm run bundle` wrote to dist/lambda/<name> */
  code?: (name: FunctionName) => Code;
  /** @default one month */
  logRetention?: RetentionDays;
  /**
   * The organisation's Anthropic use-case form (the JSON text of `USE_CASE_FORM_FILE`), checked at synth and shipped
   * to the worker and the reconciler in a layer: a Lambda has no other file of ours to read. @default none
   */
  useCaseForm?: string;
  /** Names the deployment's roles, queues and functions (names.ts); the table follows `tablePrefix`. @default 'prod' */
  stage?: string;
  /**
   * The AWS Organizations id (`o-…`) the member accounts belong to: the worker may assume the member roles only
   * there (`aws:ResourceOrgID`). Without it, the member roles' trust policies alone bound who is assumed.
   */
  organizationId?: string;
  /** The worker event source's MaximumConcurrency (2–1000). @default DEFAULT_WORKER_MAX_CONCURRENCY */
  workerMaxConcurrency?: number;
  /** Reserved concurrency for the Slack function. @default none (it shares the account's unreserved pool) */
  slackReservedConcurrency?: number;
  /** An address subscribed to the alarm topic (it must confirm the subscription mail). */
  alarmEmail?: string;
  /** An existing SNS topic the alarms also notify (an on-call pipeline, a chat integration). */
  alarmTopicArn?: string;
}

/** Where a layer's files appear in a Lambda (under /opt). */
export const USE_CASE_FORM_PATH = '/opt/use-case-form.json';
export const ACCOUNTS_SEED_PATH = '/opt/accounts.json';

export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, LambdaFn>;
  readonly queue: Queue;
  /** Status checks' own queue: a flood of them never delays a decision on `queue`. */
  readonly statusQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly alarmTopic: Topic;
  /** The deployment's stage (names.ts). */
  readonly stage: string;
  /** The stateful stack's table, by name. */
  readonly tableName: string;
  readonly tableArn: string;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const settings = props.settings ?? {};
    const plainSecrets = Object.keys(settings).filter((k) => SECRET_SETTINGS.includes(k));
    if (plainSecrets.length > 0) {
      throw new Error(`${plainSecrets.join(', ')} belong in the Slack secret (SLACK_SECRET_ARN), not in the template`);
    }
    if (!settings.SLACK_BOT_ID || !settings.SLACK_BOT_USER_ID) {
      // Not an error (the app asks Slack at start), but every cold start then waits for an auth.test call.
      Annotations.of(this).addWarningV2(
        'bedrock-doctor:slack-bot-ids',
        'SLACK_BOT_ID and SLACK_BOT_USER_ID are unset (-c slackBotId=… -c slackBotUserId=…): each cold start will call auth.test',
      );
    }
    const code = props.code ?? bundleDir;
    const stage = props.stage ?? DEFAULT_STAGE;
    this.stage = stage;
    const maxConcurrency = props.workerMaxConcurrency ?? DEFAULT_WORKER_MAX_CONCURRENCY;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(
        `workerMaxConcurrency must be a whole number from 2 to 1000 (SQS event sources), not ${maxConcurrency}`,
      );
    }
    this.tableName = tableName(props.tablePrefix);
    this.tableArn = this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: this.tableName });

    const secretArn =
      props.slackSecretArn ??
      new CfnParameter(this, 'SlackSecretArn', {
        type: 'String',
        description: 'Complete ARN of the Secrets Manager secret {"SLACK_BOT_TOKEN": …, "SLACK_SIGNING_SECRET": …}',
        allowedPattern: '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+-[A-Za-z0-9]{6}$',
      }).valueAsString;
    const slackSecret: ISecret = Secret.fromSecretCompleteArn(this, 'SlackSecret', secretArn);

    this.deadLetterQueue = new Queue(this, 'JobsDlq', {
      queueName: resourceName('jobs-dlq', stage),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Jobs', {
      queueName: resourceName('jobs', stage),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: QUEUE_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.statusQueue = new Queue(this, 'StatusJobs', {
      queueName: resourceName('status-jobs', stage),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: QUEUE_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const environment: Record<string, string> = {
      ...settings,
      NODE_OPTIONS: '--enable-source-maps',
      DYNAMODB_TABLE_PREFIX: props.tablePrefix,
      JOB_QUEUE_URL: this.queue.queueUrl,
      STATUS_QUEUE_URL: this.statusQueue.queueUrl,
      SLACK_SECRET_ARN: slackSecret.secretArn,
    };

    const formLayer = props.useCaseForm === undefined ? undefined : useCaseFormLayer(this, props.useCaseForm);
    const withForm = formLayer ? { layers: [formLayer], environment: { USE_CASE_FORM_FILE: USE_CASE_FORM_PATH } } : {};
    // No accounts: the functions serve the default account, the bot's own, until the registry holds some. With
    // some, every function has the file (served until the reconciler's first import), the reconciler imports it.
    const seedLayer = props.accounts.length > 0 ? accountsSeedLayer(this, props.accounts) : undefined;
    if (seedLayer) environment.BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE = ACCOUNTS_SEED_PATH;

    const make = (
      name: FunctionName,
      options: {
        timeout: Duration;
        memorySize: number;
        roleName?: string;
        reservedConcurrentExecutions?: number;
        environment?: Record<string, string>;
        layers?: LayerVersion[];
      },
    ) => {
      const logGroup = new LogGroup(this, `${pascal(name)}Logs`, {
        retention: props.logRetention ?? RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Our own role, not AWSLambdaBasicExecutionRole: that managed policy may write to every log group.
      const role = new Role(this, `${pascal(name)}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        ...(options.roleName ? { roleName: options.roleName } : {}),
        description: `bedrock-doctor ${name} function`,
      });
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      const fn = new LambdaFn(this, `${pascal(name)}Function`, {
        description: `bedrock-doctor ${name}`,
        functionName: resourceName(name, stage),
        ...(options.reservedConcurrentExecutions
          ? { reservedConcurrentExecutions: options.reservedConcurrentExecutions }
          : {}),
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        handler: 'index.handler',
        code: code(name),
        role,
        logGroup,
        timeout: options.timeout,
        memorySize: options.memorySize,
        environment: { ...environment, ...options.environment },
        ...(options.layers || seedLayer
          ? { layers: [...(options.layers ?? []), ...(seedLayer ? [seedLayer] : [])] }
          : {}),
      });
      // Every function reads and writes its table, sends jobs to its queue and reads its Slack secret: exactly the
      // calls the code makes (src/aws/iam-actions.ts), not the CDK grant helpers' wider sets.
      // The table's actions are the ones the repository uses (transactions are authorized per item action).
      fn.addToRolePolicy(new PolicyStatement({ actions: TABLE_ITEM_ACTIONS, resources: [this.tableArn] }));
      fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.tableArn}/index/*`] }));
      fn.addToRolePolicy(
        new PolicyStatement({ actions: [...JOB_QUEUE_SEND_ACTIONS], resources: [this.queue.queueArn] }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({ actions: [...SLACK_SECRET_ACTIONS], resources: [slackSecret.secretArn] }),
      );
      return fn;
    };

    // Memory buys CPU, and CPU is what a cold start spends: the Slack ack has 3 seconds.
    const slack = make('slack', {
      timeout: Duration.seconds(10),
      memorySize: 1024,
      ...(props.slackReservedConcurrency ? { reservedConcurrentExecutions: props.slackReservedConcurrency } : {}),
    });
    const worker = make('worker', {
      timeout: WORKER_TIMEOUT,
      memorySize: 512,
      roleName: roleName('worker', stage),
      // An activation waits for its agreement to settle at most this long per run, well inside the timeout; a
      // request still settling goes back on the queue with a delay instead of holding the function open.
      environment: {
        ACTIVATION_DEADLINE_SECONDS: String(WORKER_ACTIVATION_DEADLINE_SECONDS),
        ...withForm.environment,
      },
      ...(withForm.layers ? { layers: withForm.layers } : {}),
    });
    // The reconciler imports the seed file into the table on its next run when the file changed (one read if not).
    const reconciler = make('reconciler', {
      timeout: Duration.seconds(50),
      memorySize: 512,
      roleName: roleName('reconciler', stage),
      ...withForm,
    });
    this.functions = { slack, worker, reconciler };

    // Slack signs every request; the handler verifies the signature, so the URL itself needs no IAM auth.
    const url = slack.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    new CfnOutput(this, 'SlackRequestUrl', {
      value: url.url,
      description: 'Request URL for the Slack app (slash command, interactivity, events)',
    });
    new CfnOutput(this, 'SlackManifestCommand', {
      value: Fn.join('', ['npx bedrock-doctor manifest --request-url ', url.url]),
      description: "Prints this deployment's Slack app manifest (paste it into the app's App Manifest page)",
    });

    // A flood of Slack requests becomes a long queue, never a worker fleet that takes the account's Lambda capacity.
    // The mapping is made as SqsEventSource makes it (same id, so the same logical id), without its grant: that one
    // adds GetQueueUrl and ChangeMessageVisibility, which neither Lambda's poller nor our code calls.
    worker.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`, {
      eventSourceArn: this.queue.queueArn,
      batchSize: 5,
      reportBatchItemFailures: true,
      maxConcurrency,
    });
    worker.addToRolePolicy(
      new PolicyStatement({ actions: [...SQS_EVENT_SOURCE_ACTIONS], resources: [this.queue.queueArn] }),
    );
    // Status checks get a bounded share of the worker; decisions and activations on the job queue keep the rest.
    worker.addEventSourceMapping('StatusJobsEventSource', {
      eventSourceArn: this.statusQueue.queueArn,
      batchSize: 5,
      reportBatchItemFailures: true,
      maxConcurrency: STATUS_WORKER_MAX_CONCURRENCY,
    });
    worker.addToRolePolicy(
      new PolicyStatement({ actions: [...SQS_EVENT_SOURCE_ACTIONS], resources: [this.statusQueue.queueArn] }),
    );
    slack.addToRolePolicy(
      new PolicyStatement({ actions: [...JOB_QUEUE_SEND_ACTIONS], resources: [this.statusQueue.queueArn] }),
    );
    new Rule(this, 'ReconcilerSchedule', {
      description: 'Re-drives stuck activation requests',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(reconciler, { retryAttempts: 0 })],
    });

    // Role-name patterns, not a list of accounts: the policy is the same size for 1 or 500 accounts. Each member
    // role's trust policy names this worker and its ExternalId; the org condition also keeps the worker inside the
    // organisation. The reconciler only enqueues: it assumes nothing.
    const memberRole = (kind: 'read' | 'activation') =>
      this.formatArn({
        service: 'iam',
        region: '',
        account: '*',
        resource: 'role',
        resourceName: roleName(kind, stage),
      });
    const inOrganisation = props.organizationId
      ? { conditions: { StringEquals: { 'aws:ResourceOrgID': props.organizationId } } }
      : {};
    worker.addToRolePolicy(
      new PolicyStatement({
        actions: [...ASSUME_READ_ROLE_ACTIONS],
        resources: [memberRole('read')],
        ...inOrganisation,
      }),
    );
    // The approver becomes the activation session's SourceIdentity, the request id a session tag.
    worker.addToRolePolicy(
      new PolicyStatement({
        actions: [...ASSUME_ACTIVATION_ROLE_ACTIONS],
        resources: [memberRole('activation')],
        ...inOrganisation,
      }),
    );

    this.alarmTopic = new Topic(this, 'Alarms', { displayName: 'bedrock-doctor alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    const external: ITopic | undefined = props.alarmTopicArn
      ? Topic.fromTopicArn(this, 'ExternalAlarms', props.alarmTopicArn)
      : undefined;
    const alarm = (name: string, metric: IMetric, description: string, threshold = 1) => {
      const a = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new SnsAction(this.alarmTopic));
      if (external) a.addAlarmAction(new SnsAction(external));
    };
    alarm(
      'DlqDepthAlarm',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      'A job failed every retry and waits in the DLQ',
    );
    for (const [name, fn] of Object.entries(this.functions)) {
      alarm(`${pascal(name)}ErrorsAlarm`, fn.metricErrors({ period: Duration.minutes(5) }), `${name} function errors`);
      alarm(
        `${pascal(name)}ThrottlesAlarm`,
        fn.metricThrottles({ period: Duration.minutes(5) }),
        `${name} function throttled`,
      );
    }
    // Slack redelivers an event whose ack took over 3 s (a slow cold start): the app logs each redelivery.
    const redeliveries = new MetricFilter(this, 'SlackRedeliveriesFilter', {
      logGroup: this.functions.slack.logGroup,
      filterPattern: FilterPattern.stringValue('$.msg', '=', 'Slack redelivered an event'),
      metricNamespace: 'bedrock-doctor',
      metricName: 'SlackRedeliveries',
      metricValue: '1',
    });
    alarm(
      'SlackRedeliveriesAlarm',
      redeliveries.metric({ period: Duration.minutes(5), statistic: 'Sum' }),
      'Slack redelivered an event: an ack took over 3 seconds (X-Slack-Retry-Num)',
    );
    frontDoorAlarms(this, { slack, queue: this.queue, alarm });

    addFlowDashboard(this, { functions: this.functions, queue: this.queue, deadLetterQueue: this.deadLetterQueue });
  }
}

function bundleDir(name: FunctionName): Code {
  return Code.fromAsset(fileURLToPath(new URL(`../../dist/lambda/${name}`, import.meta.url)));
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The form, checked as the app checks it (a broken one fails the synth, not an approval), in a layer of its own. */
function useCaseFormLayer(scope: Construct, form: string): LayerVersion {
  const bytes = loadUseCaseForm('(-c useCaseFormFile)', () => form);
  return fileLayer(scope, 'UseCaseForm', 'use-case-form.json', bytes, "the organisation's Anthropic use-case form");
}

/** The accounts file, checked as the app checks it (a bad one fails the synth, not the reconciler), in a layer. */
function accountsSeedLayer(scope: Construct, accounts: AccountConfig[]): LayerVersion {
  const text = JSON.stringify(accounts, null, 1);
  parseAccounts(text, '-c accountsFile');
  return fileLayer(
    scope,
    'AccountsSeed',
    'accounts.json',
    text,
    'the accounts that seed the registry (-c accountsFile)',
  );
}

/** One file at `/opt/<fileName>` in the functions that take the layer. */
function fileLayer(
  scope: Construct,
  id: string,
  fileName: string,
  content: string | Uint8Array,
  what: string,
): LayerVersion {
  const dir = mkdtempSync(join(tmpdir(), `${fileName.replace(/\.json$/, '')}-`));
  writeFileSync(join(dir, fileName), content);
  return new LayerVersion(scope, id, {
    code: Code.fromAsset(dir),
    compatibleRuntimes: [Runtime.NODEJS_24_X],
    compatibleArchitectures: [Architecture.ARM_64],
    description: `bedrock-doctor: ${what}`,
  });
}
