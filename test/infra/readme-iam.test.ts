// The README's "IAM permissions (least privilege)" listings are what the stacks deploy: each listing is compared
// with the synthesized templates' statements (resolved as CloudFormation would), not with a copy of a constant.
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type CfnTemplate, StackResolver } from '../fakes/aws/cfn-intrinsics.js';
import type { PolicyStatement } from '../fakes/aws/iam-policy.js';
import { buildStacks, statementsOfRole } from './infra-fixture.js';

function readmeListings(): PolicyStatement[][] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('### IAM permissions (least privilege)');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (m) => (JSON.parse(m[1] ?? '') as { Statement: PolicyStatement[] }).Statement,
  );
}

/** Statements with Action always a sorted list, and keys in one order, so a listing and a template compare. */
function normal(statements: PolicyStatement[]) {
  return statements.map((s) => ({
    Effect: s.Effect,
    Action: [s.Action ?? []].flat().sort(),
    Resource: s.Resource,
    ...(s.Condition ? { Condition: s.Condition } : {}),
  }));
}

describe('README IAM listings', () => {
  const { stateless, member } = buildStacks();
  const app = Template.fromStack(stateless);
  const members = Template.fromStack(member);
  const resolve = (template: Template, statements: unknown) =>
    new StackResolver(template.toJSON() as CfnTemplate, {
      accountId: '999988887777',
      region: 'us-east-1',
      stackName: 'readme',
      parameters: { BotAccountId: '999988887777', ExternalId: 'x-readme', SlackSecretArn: 'arn:secret' },
    }).resolve(statements) as PolicyStatement[];
  const [bot, read, activation] = readmeListings();

  it('lists three policies: the bot identity, the read role, the activation role', () => {
    expect([bot, read, activation].every(Array.isArray)).toBe(true);
  });

  it("the bot identity's listing is the worker role's sts statements", () => {
    const sts = statementsOfRole(app, 'WorkerRole').filter((s) => [s.Action].flat().some((a) => a.startsWith('sts:')));
    expect(normal(bot ?? [])).toEqual(normal(resolve(app, sts)));
  }, 120_000);

  it("the read and activation role listings are the member template's policies", () => {
    expect(normal(read ?? [])).toEqual(normal(resolve(members, statementsOfRole(members, 'ReadRole'))));
    expect(normal(activation ?? [])).toEqual(normal(resolve(members, statementsOfRole(members, 'ActivationRole'))));
  });
});
