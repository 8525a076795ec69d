// Builds the stacks the way infra/bin/app.ts does, offline: bundling off, placeholder function code.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { MemberAccountStack, type MemberAccountStackProps } from '../../infra/lib/member-account-stack.js';
import { acknowledgeFindings, checkWithNag } from '../../infra/lib/nag.js';
import { StatefulStack } from '../../infra/lib/stateful-stack.js';
import { StatelessStack, type StatelessStackProps } from '../../infra/lib/stateless-stack.js';
import type { AccountConfig } from '../../src/config.js';

export const ACCOUNTS: AccountConfig[] = [
  {
    id: '111122223333',
    alias: 'sandbox',
    regions: ['us-east-1'],
    readRoleArn: 'arn:aws:iam::111122223333:role/bedrock-doctor-read',
    activationRoleArn: 'arn:aws:iam::111122223333:role/bedrock-doctor-activation',
    externalId: 'ext-1',
    default: true,
  },
  {
    id: '444455556666',
    alias: 'prod',
    regions: ['eu-west-1'],
    readRoleArn: 'arn:aws:iam::444455556666:role/bedrock-doctor-read',
    activationRoleArn: 'arn:aws:iam::444455556666:role/bedrock-doctor-activation',
    externalId: 'ext-2',
  },
];

export function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  // No asset bundling in tests: fast, offline, and independent of `npm run bundle`.
  return new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
}

/** One placeholder folder stands in for every function's bundle. */
export function placeholderCode(): () => Code {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-code-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => {};\n');
  return () => Code.fromAsset(dir);
}

export interface BuiltStacks {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
  member: MemberAccountStack;
}

export function buildStacks(
  overrides: { stateless?: Partial<StatelessStackProps>; member?: MemberAccountStackProps; nag?: boolean } = {},
): BuiltStacks {
  const app = newApp();
  const stateful = new StatefulStack(app, 'State', { tablePrefix: 'prod-' });
  const stateless = new StatelessStack(app, 'Stateless', {
    tablePrefix: 'prod-',
    accounts: ACCOUNTS,
    settings: { SLACK_BOT_ID: 'B0123456', SLACK_BOT_USER_ID: 'U0BOT0001' },
    code: placeholderCode(),
    ...overrides.stateless,
  });
  const member = new MemberAccountStack(app, 'Member', overrides.member ?? {});
  if (overrides.nag) {
    for (const stack of [stateful, stateless, member]) acknowledgeFindings(stack);
    checkWithNag(app);
  }
  return { app, stateful, stateless, member };
}

export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Every identity-policy statement attached to the role with this logical id prefix (inline and default policy). */
export function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  const out: Statement[] = [];
  const roles = template.findResources('AWS::IAM::Role');
  const roleId = Object.keys(roles).find((id) => id.startsWith(rolePrefix));
  if (!roleId) throw new Error(`no role ${rolePrefix}`);
  for (const p of (roles[roleId]?.Properties?.Policies ?? []) as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>) {
    out.push(...p.PolicyDocument.Statement);
  }
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const attached = (policy.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId);
    if (attached) out.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
  }
  return out;
}
