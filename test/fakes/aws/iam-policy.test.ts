// The fake's IAM evaluator decides like IAM on the shapes our templates use; a wrong "allow" here would let the
// deploy contract test pass a template AWS would refuse.
import { describe, expect, it } from 'vitest';
import { evaluatePolicies, type PolicyDocument } from './iam-policy.js';

const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: Statement.flat(),
});
const decide = (docs: PolicyDocument[], request: Parameters<typeof evaluatePolicies>[1]) =>
  evaluatePolicies(docs, request).decision;

describe('fake IAM evaluator', () => {
  it('allows by action wildcard (case-insensitive) and resource wildcard; anything else is an implicit deny', () => {
    const policy = doc({ Effect: 'Allow', Action: 'sts:Assume*', Resource: 'arn:aws:iam::*:role/bedrock-doctor-read' });
    expect(
      decide([policy], { action: 'STS:AssumeRole', resource: 'arn:aws:iam::123456789012:role/bedrock-doctor-read' }),
    ).toBe('allow');
    expect(
      decide([policy], { action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/bedrock-doctor-readers' }),
    ).toBe('implicit-deny');
    expect(
      decide([policy], { action: 'sts:TagSession', resource: 'arn:aws:iam::123456789012:role/bedrock-doctor-read' }),
    ).toBe('implicit-deny');
  });

  it('an explicit Deny beats any Allow; NotAction and NotResource invert the match', () => {
    const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    const deny = doc({
      Effect: 'Deny',
      NotAction: 'bedrock:Get*',
      NotResource: 'arn:aws:bedrock:*::foundation-model/amazon.*',
    });
    expect(
      decide([allowAll, deny], {
        action: 'bedrock:CreateFoundationModelAgreement',
        resource: 'arn:aws:bedrock:us-east-1::foundation-model/cohere.x',
      }),
    ).toBe('explicit-deny');
    expect(
      decide([allowAll, deny], {
        action: 'bedrock:GetFoundationModel',
        resource: 'arn:aws:bedrock:us-east-1::foundation-model/cohere.x',
      }),
    ).toBe('allow');
    expect(
      decide([allowAll, deny], {
        action: 'bedrock:CreateFoundationModelAgreement',
        resource: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova',
      }),
    ).toBe('allow');
  });

  it('conditions: StringEquals on a missing key fails, StringNotEquals and IfExists pass, Null tests presence', () => {
    const on = (Condition: Record<string, Record<string, string | string[]>>) =>
      doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition });
    const req = (context: Record<string, string | undefined>) => ({ action: 'sts:AssumeRole', resource: 'r', context });
    const org = on({ StringEquals: { 'aws:ResourceOrgID': 'o-1' } });
    expect(decide([org], req({ 'aws:resourceorgid': 'o-1' }))).toBe('allow');
    expect(decide([org], req({ 'aws:ResourceOrgID': 'o-2' }))).toBe('implicit-deny');
    expect(decide([org], req({}))).toBe('implicit-deny');
    expect(decide([on({ StringNotEquals: { 'aws:ResourceOrgID': 'o-1' } })], req({}))).toBe('allow');
    expect(decide([on({ StringEqualsIfExists: { 'aws:ResourceOrgID': 'o-1' } })], req({}))).toBe('allow');
    expect(decide([on({ Null: { 'sts:SourceIdentity': 'false' } })], req({}))).toBe('implicit-deny');
    expect(
      decide([on({ StringLike: { 'sts:SourceIdentity': '*' } })], req({ 'sts:SourceIdentity': 'U0APPROVER' })),
    ).toBe('allow');
    expect(decide([on({ StringLike: { 'sts:SourceIdentity': '*' } })], req({}))).toBe('implicit-deny');
  });

  it('trust policies match the caller by role ARN or by account, and say which', () => {
    const trust = doc(
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: 'arn:aws:iam::999988887777:role/bedrock-doctor-worker' },
      },
      { Effect: 'Allow', Action: 'sts:TagSession', Principal: { AWS: '111122223333' } },
    );
    const worker = { arn: 'arn:aws:iam::999988887777:role/bedrock-doctor-worker', accountId: '999988887777' };
    const other = { arn: 'arn:aws:iam::999988887777:role/bedrock-doctor-reconciler', accountId: '999988887777' };
    expect(evaluatePolicies([trust], { action: 'sts:AssumeRole', resource: 'r', principal: worker })).toMatchObject({
      decision: 'allow',
      namedPrincipal: true,
    });
    expect(decide([trust], { action: 'sts:AssumeRole', resource: 'r', principal: other })).toBe('implicit-deny');
    const inAccount = { arn: 'arn:aws:iam::111122223333:user/any', accountId: '111122223333' };
    expect(evaluatePolicies([trust], { action: 'sts:TagSession', resource: 'r', principal: inAccount })).toMatchObject({
      decision: 'allow',
      namedPrincipal: false,
    });
  });

  it('refuses to guess an operator it does not implement', () => {
    const policy = doc({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } },
    });
    expect(() => decide([policy], { action: 'a:b', resource: 'r' })).toThrow(/DateGreaterThan is not implemented/);
  });
});
