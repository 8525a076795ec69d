import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_BEDROCK_ACTIONS,
  ACTIVATION_MARKETPLACE_ACTIONS,
  MemberAccountStack,
  READ_ACTIONS,
} from '../../infra/lib/member-account-stack.js';
import { actionsOf, newApp, type Statement, statementsOfRole } from './infra-fixture.js';

const BOT = '999988887777';
const workerArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${BOT}:role/bedrock-doctor-worker`]] };
const reconcilerArn = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${BOT}:role/bedrock-doctor-reconciler`]],
};

function trustOf(template: Template, rolePrefix: string): Statement[] {
  const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith(rolePrefix))?.[1];
  return role?.Properties.AssumeRolePolicyDocument.Statement;
}

describe('member account stack', () => {
  const template = Template.fromStack(
    new MemberAccountStack(newApp(), 'Member', { botAccountId: BOT, externalId: 'choose-a-random-string' }),
  );

  it('creates exactly the read role and the activation role, under the names the registry uses', () => {
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'bedrock-doctor-read' });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'bedrock-doctor-activation' });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('activation role: only the agreement, use-case form, offer and availability actions and Marketplace', () => {
    expect(statementsOfRole(template, 'ActivationRole')).toEqual([
      { Effect: 'Allow', Action: ACTIVATION_BEDROCK_ACTIONS, Resource: '*' },
      { Effect: 'Allow', Action: ACTIVATION_MARKETPLACE_ACTIONS, Resource: '*' },
    ]);
    const actions = statementsOfRole(template, 'ActivationRole').flatMap(actionsOf);
    expect(actions).not.toContain('bedrock:InvokeModel');
    expect(actions).not.toContain('aws-marketplace:Unsubscribe');
    expect(actions.every((a) => !a.includes('*'))).toBe(true);
  });

  it('activation role: trusts only the worker, with the ExternalId and a SourceIdentity', () => {
    expect(trustOf(template, 'ActivationRole')).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: workerArn },
        Condition: {
          StringEquals: { 'sts:ExternalId': 'choose-a-random-string' },
          StringLike: { 'sts:SourceIdentity': '*' },
        },
      },
      {
        Effect: 'Allow',
        Action: ['sts:SetSourceIdentity', 'sts:TagSession'],
        Principal: { AWS: workerArn },
        Condition: { StringLike: { 'sts:SourceIdentity': '*' } },
      },
    ]);
  });

  it('read role: reads status only, trusted by the worker and the reconciler with the ExternalId', () => {
    expect(statementsOfRole(template, 'ReadRole')).toEqual([{ Effect: 'Allow', Action: READ_ACTIONS, Resource: '*' }]);
    const withExternalId = { StringEquals: { 'sts:ExternalId': 'choose-a-random-string' } };
    expect(trustOf(template, 'ReadRole')).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: workerArn }, Condition: withExternalId },
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: reconcilerArn }, Condition: withExternalId },
    ]);
    expect(READ_ACTIONS.some((a) => /Create|Put|Delete/.test(a))).toBe(false);
  });

  it('adds bedrock:InvokeModel only for ACTIVATION_VERIFY', () => {
    const verify = Template.fromStack(
      new MemberAccountStack(newApp(), 'Verify', { botAccountId: BOT, externalId: 'x1', verifyWithInvoke: true }),
    );
    expect(statementsOfRole(verify, 'ActivationRole').flatMap(actionsOf)).toContain('bedrock:InvokeModel');
  });

  it('without props, asks for the bot account and the ExternalId as template parameters (for StackSets)', () => {
    const generic = Template.fromStack(new MemberAccountStack(newApp(), 'Generic'));
    generic.hasParameter('BotAccountId', { Type: 'String', AllowedPattern: '^\\d{12}$' });
    generic.hasParameter('ExternalId', { Type: 'String' });
    const trust = trustOf(generic, 'ActivationRole')[0];
    expect(trust?.Condition?.StringEquals).toEqual({ 'sts:ExternalId': { Ref: 'ExternalId' } });
  });
});
