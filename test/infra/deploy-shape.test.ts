// The deployed shape's contract with what already runs: prod keeps every name and logical id an upgrade must not
// replace, a stage stands beside it under its own names, capacity settings land where AWS reads them, and an
// organisation of 500 accounts fits every IAM and CloudFormation size limit.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StatelessStack } from '../../infra/lib/stateless-stack.js';
import type { AccountConfig } from '../../src/config.js';
import { buildStacks, newApp, placeholderCode } from './infra-fixture.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const resourcesOf = (template: Template) => template.toJSON().Resources as Resources;

/** What the first deployments created: replacing any of these loses the Function URL, queued jobs or member trust. */
const PROD_RESOURCES: Record<string, [type: string, name?: unknown]> = {
  JobsDF1CC2D4: ['AWS::SQS::Queue'],
  JobsDlqB53173A1: ['AWS::SQS::Queue'],
  SlackFunctionB79AA090: ['AWS::Lambda::Function'],
  SlackFunctionFunctionUrl1C6B570E: ['AWS::Lambda::Url'],
  WorkerFunctionACE6A4B0: ['AWS::Lambda::Function'],
  WorkerFunctionSqsEventSourceStatelessJobs4A35A146A5625A1E: [
    'AWS::Lambda::EventSourceMapping',
    { Ref: 'WorkerFunctionACE6A4B0' },
  ],
  ReconcilerFunction96431D02: ['AWS::Lambda::Function'],
  SlackRoleCD155F24: ['AWS::IAM::Role'],
  WorkerRole8DD27D41: ['AWS::IAM::Role', 'bedrock-doctor-worker'],
  ReconcilerRole74F9D42A: ['AWS::IAM::Role', 'bedrock-doctor-reconciler'],
  SlackLogsCBCFC72B: ['AWS::Logs::LogGroup'],
  WorkerLogsC1193B08: ['AWS::Logs::LogGroup'],
  ReconcilerLogs12D6B32A: ['AWS::Logs::LogGroup'],
  Alarms04B5A0BF: ['AWS::SNS::Topic'],
};
const NAME_KEYS = ['RoleName', 'FunctionName', 'QueueName', 'TopicName', 'LogGroupName'];
const nameOf = (props: Record<string, unknown> | undefined) =>
  NAME_KEYS.map((k) => props?.[k]).find((v) => v !== undefined);

describe('stage', () => {
  it('prod (the default) keeps every logical id and name of the first deployments', () => {
    const { stateless, stateful } = buildStacks();
    const resources = resourcesOf(Template.fromStack(stateless));
    for (const [id, [type, name]] of Object.entries(PROD_RESOURCES)) {
      expect(resources[id]?.Type, id).toBe(type);
      expect(nameOf(resources[id]?.Properties), id).toEqual(name);
    }
    Template.fromStack(stateful).hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'prod-bedrock-doctor-state',
    });
    expect(Object.keys(resourcesOf(Template.fromStack(stateful)))).toEqual(['StateTable9728C7E5']);
  }, 120_000);

  it('another stage names its roles, queues and functions after it; the table follows tablePrefix', () => {
    const stack = new StatelessStack(newApp(), 'Staging', {
      tablePrefix: 'staging-',
      stage: 'staging',
      accounts: [],
      code: placeholderCode(),
    });
    const resources = Object.values(resourcesOf(Template.fromStack(stack)));
    const names = (type: string) => resources.filter((r) => r.Type === type).map((r) => nameOf(r.Properties));
    expect(names('AWS::Lambda::Function').sort()).toEqual([
      'bedrock-doctor-staging-reconciler',
      'bedrock-doctor-staging-slack',
      'bedrock-doctor-staging-worker',
    ]);
    expect(names('AWS::SQS::Queue').sort()).toEqual(['bedrock-doctor-staging-jobs', 'bedrock-doctor-staging-jobs-dlq']);
    expect(names('AWS::IAM::Role')).toEqual(
      expect.arrayContaining(['bedrock-doctor-staging-worker', 'bedrock-doctor-staging-reconciler']),
    );
    const policies = JSON.stringify(resources.filter((r) => r.Type === 'AWS::IAM::Policy'));
    expect(policies).toContain(':iam::*:role/bedrock-doctor-staging-read');
    expect(policies).toContain('staging-bedrock-doctor-state');
    expect(policies).not.toMatch(/role\/bedrock-doctor-(read|activation)"/);
  }, 120_000);

  it('refuses a stage that cannot be part of a role name', () => {
    expect(
      () =>
        new StatelessStack(newApp(), 'Bad', {
          tablePrefix: 'x-',
          stage: 'Stage_1',
          accounts: [],
          code: placeholderCode(),
        }),
    ).toThrow(/stage "Stage_1" must match/);
  });
});

describe('capacity and alarm delivery', () => {
  const eventSource = (t: Template) => Object.values(t.findResources('AWS::Lambda::EventSourceMapping'))[0]?.Properties;
  const slackFn = (t: Template) =>
    Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('SlackFunction'))?.[1]
      .Properties;

  it('by default: the worker capped at 5 concurrent runs, the Slack function unreserved, alarms to the own topic', () => {
    const t = Template.fromStack(buildStacks().stateless);
    expect(eventSource(t)?.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
    expect(slackFn(t)?.ReservedConcurrentExecutions).toBeUndefined();
    t.resourceCountIs('AWS::SNS::Subscription', 0);
  }, 120_000);

  it('-c workerMaxConcurrency, slackReservedConcurrency, alarmEmail and alarmTopicArn land where AWS reads them', () => {
    const external = 'arn:aws:sns:us-east-1:999988887777:oncall';
    const t = Template.fromStack(
      buildStacks({
        stateless: {
          workerMaxConcurrency: 20,
          slackReservedConcurrency: 50,
          alarmEmail: 'platform@example.com',
          alarmTopicArn: external,
        },
      }).stateless,
    );
    expect(eventSource(t)?.ScalingConfig).toEqual({ MaximumConcurrency: 20 });
    expect(slackFn(t)?.ReservedConcurrentExecutions).toBe(50);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'platform@example.com' });
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) expect(a.Properties.AlarmActions).toContain(external);
  }, 120_000);

  it('refuses a worker concurrency SQS event sources do not accept', () => {
    expect(() => buildStacks({ stateless: { workerMaxConcurrency: 1 } })).toThrow(/from 2 to 1000/);
  });
});

describe('an organisation of 500 accounts', () => {
  it('every inline policy under 10,240 characters, every managed policy under 6,144, every template under 1 MB', () => {
    const accounts: AccountConfig[] = Array.from({ length: 500 }, (_, i) => {
      const id = String(100000000000 + i * 7919);
      return {
        id,
        alias: `team-${i}`,
        regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
        readRoleArn: `arn:aws:iam::${id}:role/bedrock-doctor-read`,
        activationRoleArn: `arn:aws:iam::${id}:role/bedrock-doctor-activation`,
        externalId: 'org-wide-external-id',
      };
    });
    const { stateless, stateful, member } = buildStacks({ stateless: { accounts, organizationId: 'o-a1b2c3d4e5' } });
    for (const stack of [stateless, stateful, member]) {
      const template = Template.fromStack(stack);
      expect(JSON.stringify(template.toJSON()).length, stack.stackName).toBeLessThan(1_000_000);
      const resources = resourcesOf(template);
      // IAM's inline limit is per role, for all its inline policies together (Policies and AWS::IAM::Policy).
      const inlinePerRole = new Map<string, number>();
      for (const [id, r] of Object.entries(resources)) {
        const size = (doc: unknown) => JSON.stringify(doc).length;
        if (r.Type === 'AWS::IAM::Role') {
          const docs = (r.Properties?.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? [];
          inlinePerRole.set(id, (inlinePerRole.get(id) ?? 0) + docs.reduce((n, p) => n + size(p.PolicyDocument), 0));
        }
        if (r.Type === 'AWS::IAM::Policy') {
          for (const role of r.Properties?.Roles as Array<{ Ref: string }>) {
            inlinePerRole.set(role.Ref, (inlinePerRole.get(role.Ref) ?? 0) + size(r.Properties?.PolicyDocument));
          }
        }
        if (r.Type === 'AWS::IAM::ManagedPolicy') expect(size(r.Properties?.PolicyDocument), id).toBeLessThan(6_144);
      }
      for (const [role, chars] of inlinePerRole) expect(chars, role).toBeLessThan(10_240);
    }
  }, 120_000);
});
