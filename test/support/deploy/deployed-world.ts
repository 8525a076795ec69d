// The deployed shape on loopback: the stacks synthesized as `cdk synth` would (bundling off), their IAM roles
// "deployed" into a fake AWS world — the app stack in the bot's account, the member stack in every member account
// (the bot's own included) — and a session of each function's role, as Lambda hands it to the function. Code run
// with those keys is allowed exactly what the templates grant, conditions included.
import { Template } from 'aws-cdk-lib/assertions';
import type { MemberAccountStackProps } from '../../../infra/lib/member-account-stack.js';
import { FUNCTION_NAMES, type FunctionName, roleArn } from '../../../infra/lib/names.js';
import { SQS_EVENT_SOURCE_ACTIONS, type StatelessStackProps } from '../../../infra/lib/stateless-stack.js';
import type { AccountConfig } from '../../../src/config.js';
import type { CfnTemplate } from '../../fakes/aws/cfn-intrinsics.js';
import { addStandardCatalogue } from '../../fakes/aws/standard-world.js';
import {
  type DeployedStack,
  deployTemplate,
  lambdaSession,
  type SessionKeys,
  type UnusedGrant,
  unusedGrants,
} from '../../fakes/aws/template-world.js';
import { FakeAwsWorld, type WorldOptions } from '../../fakes/aws/world.js';
import { buildStacks } from '../../infra/infra-fixture.js';

export const BOT_ACCOUNT = '999988887777';
export const ORG_ID = 'o-a1b2c3d4e5';
export const ORG_EXTERNAL_ID = 'org-wide-external-id';
export const SLACK_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${BOT_ACCOUNT}:secret:bedrock-doctor/slack-AbCdEf`;

/**
 * What AWS does with a function's role on its behalf (logs, the SQS event source, KMS) and the opt-in verify call:
 * granted, but never called by the code itself.
 */
export function onBehalfOrOptIn(action: string): boolean {
  return /^(logs|kms):/.test(action) || SQS_EVENT_SOURCE_ACTIONS.includes(action) || action === 'bedrock:InvokeModel';
}

export interface MemberDeployment {
  id: string;
  /** A per-account ExternalId (a StackSet parameter override); else the organisation-wide one. */
  externalId?: string;
  /** Accounts outside the organisation keep no org id. @default ORG_ID */
  orgId?: string | null;
  regions?: string[];
}

export interface DeployedWorldOptions {
  /** Member accounts with the member stack; the bot's account is always one of them. */
  members: MemberDeployment[];
  /** The member stack's `Stage` parameter and the app's `stage` context. @default 'prod' */
  stage?: string;
  stateless?: Partial<StatelessStackProps>;
  member?: MemberAccountStackProps;
  world?: WorldOptions;
}

export interface DeployedWorld {
  world: FakeAwsWorld;
  templates: { app: CfnTemplate; member: CfnTemplate };
  app: DeployedStack;
  members: Record<string, DeployedStack>;
  /** Each function's execution role ARN in the bot account. */
  functionRoles: Record<FunctionName, string>;
  /** Fresh keys of a function's role session (what Lambda puts in AWS_ACCESS_KEY_ID …). */
  sessionFor(name: FunctionName): SessionKeys;
  /** The registry the bot would hold: each member account with the member stack's conventional role names. */
  accounts: AccountConfig[];
  /** Grants of the app's function roles and the member roles that nothing used (see template-world.ts). */
  unusedGrants(exempt?: (action: string) => boolean): UnusedGrant[];
}

/** Synthesizes the stacks and deploys their IAM into a new world with the standard model catalogue. */
export function buildDeployedWorld(options: DeployedWorldOptions): DeployedWorld {
  const stage = options.stage ?? 'prod';
  const { stateless, member } = buildStacks({
    stateless: { ...(stage === 'prod' ? {} : { stage }), ...options.stateless },
    member: options.member ?? {},
  });
  const templates = {
    app: Template.fromStack(stateless).toJSON() as CfnTemplate,
    member: Template.fromStack(member).toJSON() as CfnTemplate,
  };
  const world = addStandardCatalogue(new FakeAwsWorld(options.world));
  world.addAccount(BOT_ACCOUNT, { orgId: ORG_ID });
  const app = deployTemplate(world, templates.app, {
    accountId: BOT_ACCOUNT,
    region: 'us-east-1',
    stackName: 'BedrockDoctorApp',
    parameters: { SlackSecretArn: SLACK_SECRET_ARN },
  });
  const everyMember = [{ id: BOT_ACCOUNT }, ...options.members.filter((m) => m.id !== BOT_ACCOUNT)];
  const members: Record<string, DeployedStack> = {};
  for (const m of everyMember) {
    const orgId = 'orgId' in m ? m.orgId : ORG_ID;
    if (!world.accounts.has(m.id)) world.addAccount(m.id, orgId ? { orgId } : {});
    members[m.id] = deployTemplate(world, templates.member, {
      accountId: m.id,
      region: 'us-east-1',
      stackName: 'StackSet-BedrockDoctorMember',
      parameters: {
        BotAccountId: BOT_ACCOUNT,
        ExternalId: ('externalId' in m && m.externalId) || ORG_EXTERNAL_ID,
        ...(templates.member.Parameters?.Stage ? { Stage: stage } : {}),
      },
    });
  }
  const functionRoles = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [name, functionRoleOf(app, templates.app, name)]),
  ) as Record<FunctionName, string>;
  const accounts: AccountConfig[] = everyMember.map((m, i) => ({
    id: m.id,
    alias: m.id === BOT_ACCOUNT ? 'bot' : `member-${i}`,
    regions: ('regions' in m && m.regions) || ['us-east-1', 'us-west-2'],
    readRoleArn: roleArn(m.id, 'read', stage),
    activationRoleArn: roleArn(m.id, 'activation', stage),
    externalId: ('externalId' in m && m.externalId) || ORG_EXTERNAL_ID,
    ...(m.id === BOT_ACCOUNT ? { default: true } : {}),
  }));
  // A template role and every account it was deployed to: a grant is used when one of them used it.
  const byTemplateRole: Record<string, string[]> = {};
  for (const [logicalId, arn] of Object.entries(app.roles)) byTemplateRole[`app:${logicalId}`] = [arn];
  for (const deployed of Object.values(members)) {
    for (const [logicalId, arn] of Object.entries(deployed.roles)) {
      (byTemplateRole[`member:${logicalId}`] ??= []).push(arn);
    }
  }
  return {
    world,
    templates,
    app,
    members,
    functionRoles,
    sessionFor: (name) => lambdaSession(world, functionRoles[name], `bedrock-doctor-${name}`),
    accounts,
    unusedGrants: (exempt) => unusedGrants(world, byTemplateRole, exempt),
  };
}

/** The role a function runs as: its `Role` property, resolved. */
function functionRoleOf(app: DeployedStack, template: CfnTemplate, name: FunctionName): string {
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  const entry = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${pascal}Function`),
  );
  if (!entry) throw new Error(`no ${name} function in the app template`);
  return String(app.resolver.resolve(entry[1].Properties?.Role));
}
