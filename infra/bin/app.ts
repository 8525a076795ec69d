// `npm run synth` / `cdk deploy`: the bot's two stacks and the member-account stack, from context (cdk.json or -c).
// Offline by design: no lookups, env-agnostic unless `account`/`region` context is given.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { z } from 'zod';
import { type AccountConfig, accountSchema } from '../../src/config.js';
import { settingsFromContext } from '../lib/context-settings.js';
import { MemberAccountStack } from '../lib/member-account-stack.js';
import { acknowledgeFindings, checkWithNag } from '../lib/nag.js';
import { DEFAULT_STAGE, stackId } from '../lib/names.js';
import { StatefulStack } from '../lib/stateful-stack.js';
import { StatelessStack } from '../lib/stateless-stack.js';

const app = new App();
const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key) as unknown;
  return value === undefined || value === '' ? undefined : String(value);
};

const account = context('account');
const region = context('region');
const env = account || region ? { account, region } : undefined;
/** `-c stage=staging`: a second deployment beside prod (its own roles, queue, functions; names.ts). */
const stage = context('stage') ?? DEFAULT_STAGE;
/** The table is `<tablePrefix>bedrock-doctor-state`; by default each stage has its own (`prod-` for prod). */
const tablePrefix = context('tablePrefix') ?? `${stage}-`;

/** A whole-number context value, or undefined when unset; anything else stops the synth. */
function intContext(key: string): number | undefined {
  const value = context(key);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`-c ${key} must be a whole number, not "${value}"`);
  return Number(value);
}

/** `-c accountsFile=accounts.json`: the same JSON array as BEDROCK_DOCTOR_ACCOUNTS_FILE, checked the same way. */
function readAccounts(path: string | undefined): AccountConfig[] {
  if (!path) return [];
  return z.array(accountSchema).parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Plain settings (see `CONTEXT_SETTINGS`); Slack's token and signing secret come from the secret, never from context. */
const settings = settingsFromContext((key) => app.node.tryGetContext(key));

const stateful = new StatefulStack(app, stackId('BedrockDoctorState', stage), { env, tablePrefix });
const stateless = new StatelessStack(app, stackId('BedrockDoctorApp', stage), {
  env,
  tablePrefix,
  stage,
  organizationId: context('organizationId'),
  workerMaxConcurrency: intContext('workerMaxConcurrency'),
  slackReservedConcurrency: intContext('slackReservedConcurrency'),
  alarmEmail: context('alarmEmail'),
  alarmTopicArn: context('alarmTopicArn'),
  slackSecretArn: context('slackSecretArn'),
  accounts: readAccounts(context('accountsFile')),
  settings,
  // `-c useCaseFormFile=use-case-form.json`: the Anthropic use-case form, shipped to the worker in a layer.
  ...(context('useCaseFormFile') ? { useCaseForm: readFileSync(context('useCaseFormFile') ?? '', 'utf8') } : {}),
});
const member = new MemberAccountStack(app, stackId('BedrockDoctorMember', stage), {
  botAccountId: context('botAccountId'),
  externalId: context('externalId'),
  stage,
  verifyWithInvoke: context('activationVerify') === 'true',
});

for (const stack of [stateful, stateless, member]) acknowledgeFindings(stack);
checkWithNag(app);
app.synth();
