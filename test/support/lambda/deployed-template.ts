// The stacks as `cdk synth` writes them (bundling off, placeholder code): the app stack read for what a local stand-in
// of Lambda needs (each function's environment, role, timeout, memory and layers, the queue's visibility timeout and
// redrive, the worker's event source, the reconciler's schedule) and the member stack's template. Values come from
// the templates, so a stack change reaches the demo.
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { MemberAccountStack } from '../../../infra/lib/member-account-stack.js';
import type { FunctionName } from '../../../infra/lib/names.js';
import { StatelessStack, type StatelessStackProps } from '../../../infra/lib/stateless-stack.js';
import type { CfnTemplate } from '../../fakes/aws/cfn-intrinsics.js';
import { newApp, placeholderCode } from '../../infra/infra-fixture.js';

type CfnValue = string | number | boolean | { [key: string]: unknown } | CfnValue[];

export interface DeployedFunction {
  /** The function's environment, CloudFormation references still unresolved. */
  environment: Record<string, CfnValue>;
  /** Its `Role` property (unresolved). */
  role: CfnValue;
  timeoutSeconds: number;
  memoryMb: number;
  /** Folders holding the files of the function's layers (what Lambda unpacks under /opt), from the cloud assembly. */
  layerDirs: string[];
}

export interface DeployedApp {
  template: CfnTemplate;
  memberTemplate: CfnTemplate;
  functions: Record<FunctionName, DeployedFunction>;
  queue: DeployedQueue;
  eventSource: DeployedQueue['eventSource'];
  /** Status checks' own queue (decisions never wait behind them). */
  statusQueue: DeployedQueue;
  schedule: { expression: string; ruleLogicalId: string };
}

type Resource = { Type: string; Properties: Record<string, unknown> };

export interface DeployedQueue {
  logicalId: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  eventSource: { batchSize: number; reportBatchItemFailures: boolean; maximumConcurrency?: number };
}

function only(resources: Record<string, Resource>, type: string, prefix = ''): [string, Resource] {
  const found = Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}…, found ${found.length}`);
  return found[0] as [string, Resource];
}

/** Synthesizes the app stack with these props (as `-c` context would give them) and reads what the demo needs. */
export function synthesizeApp(props: Omit<StatelessStackProps, 'code'>): DeployedApp {
  const app = newApp();
  const stack = new StatelessStack(app, 'BedrockDoctor', { ...props, code: placeholderCode() });
  const member = new MemberAccountStack(app, 'BedrockDoctorMember', {});
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
  const resources = template.Resources;
  // A layer's Content is its asset's hash; the synthesized assembly holds the asset as `asset.<hash>/`.
  const layerDir = (ref: { Ref: string }) => {
    const content = resources[ref.Ref]?.Properties.Content as { S3Key?: string } | undefined;
    return join(app.outdir, `asset.${String(content?.S3Key).replace(/\.zip$/, '')}`);
  };
  const fn = (name: FunctionName): DeployedFunction => {
    const [, r] = only(resources, 'AWS::Lambda::Function', `${name.charAt(0).toUpperCase()}${name.slice(1)}Function`);
    return {
      layerDirs: ((r.Properties.Layers ?? []) as Array<{ Ref: string }>).map(layerDir),
      role: r.Properties.Role as CfnValue,
      environment: ((r.Properties.Environment as { Variables?: Record<string, CfnValue> })?.Variables ?? {}) as Record<
        string,
        CfnValue
      >,
      timeoutSeconds: Number(r.Properties.Timeout ?? 3),
      memoryMb: Number(r.Properties.MemorySize ?? 128),
    };
  };
  // Two queues feed the worker (decisions and activations; status checks apart): each with its own mapping.
  const queueOf = (prefix: RegExp): DeployedQueue => {
    const [queueId, queue] = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::SQS::Queue' && prefix.test(id),
    ) as [string, Resource];
    const mapping = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' &&
        JSON.stringify(r.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
    );
    if (!mapping) throw new Error(`no event source mapping reads ${queueId}`);
    const scaling = mapping.Properties.ScalingConfig as { MaximumConcurrency?: number } | undefined;
    return {
      logicalId: queueId,
      visibilityTimeoutSeconds: Number(queue.Properties.VisibilityTimeout ?? 30),
      maxReceiveCount: Number((queue.Properties.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount),
      eventSource: {
        batchSize: Number(mapping.Properties.BatchSize ?? 10),
        reportBatchItemFailures: ((mapping.Properties.FunctionResponseTypes as string[]) ?? []).includes(
          'ReportBatchItemFailures',
        ),
        ...(scaling?.MaximumConcurrency ? { maximumConcurrency: scaling.MaximumConcurrency } : {}),
      },
    };
  };
  const jobs = queueOf(/^Jobs[0-9A-F]{8}$/);
  const [ruleId, rule] = only(resources, 'AWS::Events::Rule');
  return {
    template: template as CfnTemplate,
    memberTemplate: Template.fromStack(member).toJSON() as CfnTemplate,
    functions: { slack: fn('slack'), worker: fn('worker'), reconciler: fn('reconciler') },
    queue: jobs,
    eventSource: jobs.eventSource,
    statusQueue: queueOf(/^StatusJobs[0-9A-F]{8}$/),
    schedule: { expression: String(rule.Properties.ScheduleExpression), ruleLogicalId: ruleId },
  };
}
