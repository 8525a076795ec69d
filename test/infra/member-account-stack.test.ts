import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MemberAccountStack } from '../../infra/lib/member-account-stack.js';
import { type CfnTemplate, StackResolver } from '../fakes/aws/cfn-intrinsics.js';
import { actionsOf, newApp, type Statement, statementsOfRole } from './infra-fixture.js';

const BOT = '999988887777';
const MEMBER = '111122223333';

/** The template as CloudFormation would deploy it in MEMBER with these parameters. */
function deployed(template: Template, parameters: Record<string, string>) {
  const resolver = new StackResolver(template.toJSON() as CfnTemplate, {
    accountId: MEMBER,
    region: 'eu-west-1',
    stackName: 'StackSet-member',
    parameters,
  });
  const roles = Object.entries(template.findResources('AWS::IAM::Role'));
  const role = (prefix: string) => {
    const [id, r] = roles.find(([logicalId]) => logicalId.startsWith(prefix)) ?? [];
    if (!id || !r) throw new Error(`no ${prefix}`);
    const props = resolver.resolve(r.Properties) as {
      RoleName: string;
      AssumeRolePolicyDocument: { Statement: Statement[] };
    };
    return { name: props.RoleName, trust: props.AssumeRolePolicyDocument.Statement };
  };
  return { read: role('ReadRole'), activation: role('ActivationRole') };
}

describe('member account stack', () => {
  const template = Template.fromStack(new MemberAccountStack(newApp(), 'Member'));

  it('deploys as a service-managed StackSet: no CDK bootstrap parameter or rule, three parameters', () => {
    const json = template.toJSON();
    expect(Object.keys(json.Parameters ?? {}).sort()).toEqual(['BotAccountId', 'ExternalId', 'Stage']);
    expect(json.Rules).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/BootstrapVersion|cdk-bootstrap/);
    template.hasParameter('BotAccountId', { Type: 'String', AllowedPattern: '^\\d{12}$' });
    template.hasParameter('Stage', { Type: 'String', Default: 'prod' });
    expect(json.Parameters.ExternalId.Default).toBeUndefined();
  });

  it('prod keeps the role names the registry has always used, trusting bedrock-doctor-worker', () => {
    const { read, activation } = deployed(template, { BotAccountId: BOT, ExternalId: 'org-wide' });
    expect([read.name, activation.name]).toEqual(['bedrock-doctor-read', 'bedrock-doctor-activation']);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const worker = `arn:aws:iam::${BOT}:role/bedrock-doctor-worker`;
    // Read role: only the worker (the reconciler only enqueues), only with the ExternalId.
    expect(read.trust).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: worker },
        Condition: { StringEquals: { 'sts:ExternalId': 'org-wide' } },
      },
    ]);
    expect(activation.trust).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: worker },
        Condition: { StringEquals: { 'sts:ExternalId': 'org-wide' }, StringLike: { 'sts:SourceIdentity': '*' } },
      },
      {
        Effect: 'Allow',
        Action: ['sts:SetSourceIdentity', 'sts:TagSession'],
        Principal: { AWS: worker },
        Condition: { StringLike: { 'sts:SourceIdentity': '*' } },
      },
    ]);
  });

  it("another Stage names its roles after it and trusts only that stage's worker", () => {
    const { read, activation } = deployed(template, { BotAccountId: BOT, ExternalId: 'x-staging', Stage: 'staging' });
    expect([read.name, activation.name]).toEqual(['bedrock-doctor-staging-read', 'bedrock-doctor-staging-activation']);
    const principals = [...read.trust, ...activation.trust].map((s) => s.Principal);
    expect(new Set(principals.map((p) => JSON.stringify(p)))).toEqual(
      new Set([JSON.stringify({ AWS: `arn:aws:iam::${BOT}:role/bedrock-doctor-staging-worker` })]),
    );
  });

  it('grants no wildcard action, never Unsubscribe, and bedrock:InvokeModel only for ACTIVATION_VERIFY', () => {
    const actions = [
      ...statementsOfRole(template, 'ActivationRole'),
      ...statementsOfRole(template, 'ReadRole'),
    ].flatMap(actionsOf);
    expect(actions.filter((a) => a.includes('*') || a === 'aws-marketplace:Unsubscribe')).toEqual([]);
    expect(actions).not.toContain('bedrock:InvokeModel');
    expect(
      statementsOfRole(template, 'ReadRole')
        .flatMap(actionsOf)
        .filter((a) => /Create|Put|Delete/.test(a)),
    ).toEqual([]);
    const verify = Template.fromStack(new MemberAccountStack(newApp(), 'Verify', { verifyWithInvoke: true }));
    expect(statementsOfRole(verify, 'ActivationRole').flatMap(actionsOf)).toContain('bedrock:InvokeModel');
  });

  it('-c botAccountId, externalId and stage become the parameters\u2019 defaults (a plain cdk deploy needs none)', () => {
    const withDefaults = Template.fromStack(
      new MemberAccountStack(newApp(), 'Defaults', { botAccountId: BOT, externalId: 'ext-1', stage: 'dev' }),
    );
    withDefaults.hasParameter('BotAccountId', { Default: BOT });
    withDefaults.hasParameter('ExternalId', { Default: 'ext-1' });
    const { read } = deployed(withDefaults, {});
    expect(read.name).toBe('bedrock-doctor-dev-read');
  });
});
