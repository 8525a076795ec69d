import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVE_COUNT, StatelessStack, TABLE_ITEM_ACTIONS } from '../../infra/lib/stateless-stack.js';
import {
  ACCOUNTS,
  actionsOf,
  buildStacks,
  newApp,
  placeholderCode,
  type Statement,
  statementsOfRole,
} from './infra-fixture.js';

const FUNCTIONS = ['Slack', 'Worker', 'Reconciler'] as const;

function functionId(template: Template, name: string): string {
  const id = Object.keys(template.findResources('AWS::Lambda::Function')).find((k) => k.startsWith(`${name}Function`));
  if (!id) throw new Error(`no ${name} function`);
  return id;
}

function stsStatements(template: Template, role: string): Statement[] {
  return statementsOfRole(template, role).filter((s) => actionsOf(s).some((a) => a.startsWith('sts:')));
}

describe('stateless stack', () => {
  const { stateless } = buildStacks();
  const template = Template.fromStack(stateless);

  it('runs three arm64 functions on Node.js 22 or newer, from bundles with source maps on', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const p = fn.Properties;
      expect(p.Architectures).toEqual(['arm64']);
      expect(Number(/^nodejs(\d+)\.x$/.exec(p.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
      expect(p.Handler).toBe('index.handler');
      expect(p.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('bounds the worker\u2019s per-run activation wait well inside its timeout', () => {
    const worker = template.findResources('AWS::Lambda::Function')[functionId(template, 'Worker')];
    const deadline = Number(worker?.Properties.Environment.Variables.ACTIVATION_DEADLINE_SECONDS);
    expect(deadline).toBeGreaterThanOrEqual(10);
    expect(deadline).toBeLessThan(worker?.Properties.Timeout - 10);
  });

  it('gives each function its own log group with a retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    for (const name of FUNCTIONS) {
      const fn = template.findResources('AWS::Lambda::Function')[functionId(template, name)];
      expect(fn?.Properties.LoggingConfig.LogGroup.Ref).toMatch(new RegExp(`^${name}Logs`));
    }
  });

  it('passes the secret by ARN and never a token or signing secret in the template', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/xoxb-/);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const env = fn.Properties.Environment.Variables;
      expect(Object.keys(env).filter((k) => /TOKEN|SIGNING/.test(k))).toEqual([]);
      expect(env.SLACK_SECRET_ARN).toEqual({ Ref: 'SlackSecretArn' });
      expect(env.SLACK_BOT_ID).toBe('B0123456');
      expect(env.SLACK_BOT_USER_ID).toBe('U0BOT0001');
      expect(env.DYNAMODB_TABLE_PREFIX).toBe('prod-');
      expect(JSON.parse(env.BEDROCK_DOCTOR_ACCOUNTS)).toEqual(ACCOUNTS);
      expect(env.JOB_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^Jobs[0-9A-F]{8}$/) });
    }
  });

  it('refuses a token or signing secret given as a plain setting', () => {
    expect(
      () =>
        new StatelessStack(newApp(), 'Bad', {
          tablePrefix: 'prod-',
          accounts: [],
          settings: { SLACK_SIGNING_SECRET: 'shh' },
          code: placeholderCode(),
        }),
    ).toThrow(/SLACK_SIGNING_SECRET belong in the Slack secret/);
  });

  it('serves the Slack function on a Function URL without IAM auth (Slack signs each request)', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [functionId(template, 'Slack'), 'Arn'] },
    });
    template.hasOutput('SlackRequestUrl', {});
  });

  it('feeds the worker from an encrypted queue whose visibility timeout exceeds the worker timeout, with a DLQ', () => {
    const worker = template.findResources('AWS::Lambda::Function')[functionId(template, 'Worker')];
    const queues = template.findResources('AWS::SQS::Queue');
    const jobs = Object.entries(queues).find(([id]) => /^Jobs[0-9A-F]{8}$/.test(id))?.[1];
    const dlqId = Object.keys(queues).find((id) => id.startsWith('JobsDlq'));
    expect(jobs?.Properties.VisibilityTimeout).toBeGreaterThan(worker?.Properties.Timeout);
    expect(jobs?.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(template, 'Worker') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('holds no table (data lives in the stateful stack) and refuses non-TLS access to its queues and topic', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    const denyPlainHttp = Match.arrayWith([
      Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: denyPlainHttp } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: denyPlainHttp } });
  });

  it('runs the reconciler every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId(template, 'Reconciler'), 'Arn'] } })],
    });
  });

  it('alarms on DLQ depth and on every function\u2019s errors and throttles', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const dlq = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlq).toHaveLength(1);
    expect(dlq[0]?.Dimensions[0].Value['Fn::GetAtt'][0]).toMatch(/^JobsDlq/);
    for (const name of FUNCTIONS) {
      for (const metric of ['Errors', 'Throttles']) {
        const hits = alarms.filter(
          (a) => a.MetricName === metric && a.Dimensions[0].Value.Ref === functionId(template, name),
        );
        expect(hits, `${name} ${metric}`).toHaveLength(1);
      }
    }
    for (const a of alarms) {
      expect(a.Threshold).toBe(a.MetricName === 'ApproximateAgeOfOldestMessage' ? 600 : 1);
      expect(a.AlarmActions).toHaveLength(1);
    }
  });

  it("alarms on the Function URL's 5xx, on errors the handler answers 500, and on a job waiting over 10 minutes", () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const url5xx = alarms.find((a) => a.MetricName === 'Url5xxCount');
    expect(url5xx).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1 });
    expect(url5xx?.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: functionId(template, 'Slack') } }]);
    const oldest = alarms.find((a) => a.MetricName === 'ApproximateAgeOfOldestMessage');
    expect(oldest?.Dimensions[0].Value['Fn::GetAtt'][0]).toMatch(/^Jobs[0-9A-F]{8}$/);
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f) => f.Properties);
    const handlerErrors = filters.find((f) => f.MetricTransformations[0].MetricName === 'SlackHandlerErrors');
    // The line the Slack handler writes when it answers 500 (handlers/lambda/slack.ts logs SLACK_REQUEST_FAILED).
    expect(handlerErrors?.FilterPattern).toBe('{ $.msg = "Slack request failed" }');
    expect(handlerErrors?.LogGroupName.Ref).toMatch(/^SlackLogs/);
    expect(alarms.some((a) => a.MetricName === 'SlackHandlerErrors' && a.Namespace === 'bedrock-doctor')).toBe(true);
  });

  describe('IAM, least privilege', () => {
    const arnOf = (resource: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':dynamodb:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          resource,
        ],
      ],
    });
    const tableArn = arnOf(':table/prod-bedrock-doctor-state');
    const indexArn = arnOf(':table/prod-bedrock-doctor-state/index/*');

    it.each(FUNCTIONS)('%s: its table, its queue, its secret and its own log group', (name) => {
      const statements = statementsOfRole(template, `${name}Role`);
      const normalized = statements.map((st) => ({ ...st, Action: actionsOf(st) }));
      const allow = (actions: string[], resource: unknown) =>
        expect(normalized).toContainEqual({ Effect: 'Allow', Action: actions, Resource: resource });
      allow(TABLE_ITEM_ACTIONS, tableArn);
      allow(['dynamodb:Query'], indexArn);
      allow(['sqs:SendMessage'], { 'Fn::GetAtt': [expect.stringMatching(/^Jobs[0-9A-F]{8}$/), 'Arn'] });
      allow(['secretsmanager:GetSecretValue'], { Ref: 'SlackSecretArn' });
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], {
        'Fn::GetAtt': [expect.stringMatching(`^${name}Logs`), 'Arn'],
      });
      // Nothing on every resource, no managed policies.
      expect(statements.filter((s) => s.Resource === '*')).toEqual([]);
      expect(
        statements.flatMap(actionsOf).filter((a) => /^dynamodb:(Scan|BatchWriteItem|DeleteTable|CreateTable)/.test(a)),
      ).toEqual([]);
      const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) =>
        id.startsWith(`${name}Role`),
      )?.[1];
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('the Slack function assumes no role and calls nothing else', () => {
      const actions = statementsOfRole(template, 'SlackRole').flatMap(actionsOf);
      expect(actions.filter((a) => !/^(dynamodb|sqs|secretsmanager|logs):/.test(a))).toEqual([]);
      expect(actions.filter((a) => a.startsWith('sqs:Receive') || a.startsWith('sqs:Delete'))).toEqual([]);
    });

    it('the worker assumes the member roles by name pattern, tagging activation sessions; the reconciler none', () => {
      const pattern = (name: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${name}`]],
      });
      expect(stsStatements(template, 'WorkerRole')).toEqual([
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: pattern('bedrock-doctor-read') },
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
          Resource: pattern('bedrock-doctor-activation'),
        },
      ]);
      expect(stsStatements(template, 'ReconcilerRole')).toEqual([]);
      const consume = statementsOfRole(template, 'WorkerRole').find((s) => actionsOf(s).includes('sqs:ReceiveMessage'));
      expect(actionsOf(consume as Statement)).toContain('sqs:DeleteMessage');
    });

    it('with organizationId, the worker may assume member roles only inside that organisation', () => {
      const org = Template.fromStack(buildStacks({ stateless: { organizationId: 'o-a1b2c3d4e5' } }).stateless);
      const statements = stsStatements(org, 'WorkerRole');
      expect(statements).toHaveLength(2);
      for (const st of statements) {
        expect(st.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } });
      }
    });

    it('names the worker and reconciler roles so member accounts can trust them', () => {
      template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'bedrock-doctor-worker' });
      template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'bedrock-doctor-reconciler' });
    });

    it('warns at synth when the bot ids are missing (every cold start would call auth.test)', () => {
      const withIds = Annotations.fromStack(stateless);
      expect(withIds.findWarning('*', Match.stringLikeRegexp('SLACK_BOT_ID'))).toEqual([]);
      const without = new StatelessStack(newApp(), 'NoIds', {
        tablePrefix: 'prod-',
        accounts: [],
        code: placeholderCode(),
      });
      expect(Annotations.fromStack(without).findWarning('*', Match.stringLikeRegexp('SLACK_BOT_ID'))).toHaveLength(1);
    });

    it('the worker and reconciler policies do not depend on the registered accounts', () => {
      const bare = Template.fromStack(
        new StatelessStack(newApp(), 'Stateless', { tablePrefix: 'prod-', accounts: [], code: placeholderCode() }),
      );
      for (const role of ['WorkerRole', 'ReconcilerRole']) {
        expect(statementsOfRole(bare, role)).toEqual(statementsOfRole(template, role));
      }
    });
  });
});
