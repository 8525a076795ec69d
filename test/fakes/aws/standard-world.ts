// A ready-made world for tests and the demo: two accounts, the bot's user, read and activation roles, and a model
// catalogue covering every case the status check and activation distinguish. Tests change what they need.
import type { Account, Config } from '../../../src/config.js';
import type { FakeAws } from './server.js';
import { FakeAwsWorld, type PolicySpec, type WorldOptions } from './world.js';

export const SANDBOX = '111122223333';
export const PROD = '444455556666';
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

export const MODELS = {
  /** Anthropic, on demand, needs the use-case form. */
  haiku: 'anthropic.claude-3-haiku-20240307-v1:0',
  /** Anthropic, served only through inference profiles. */
  sonnet4: 'anthropic.claude-sonnet-4-20250514-v1:0',
  /** Marketplace, no form. */
  cohere: 'cohere.command-r-plus-v1:0',
  /** First-party. */
  nova: 'amazon.nova-pro-v1:0',
  /** Legacy. */
  claudeV2: 'anthropic.claude-v2:1',
  /** End of life: not listed any more. */
  instant: 'anthropic.claude-instant-v1',
  /** Marketplace, only in us-west-2. */
  jamba: 'ai21.jamba-1-5-large-v1:0',
  /** Marketplace; its agreements settle to ERROR. */
  palmyra: 'writer.palmyra-x5-v1:0',
} as const;

export const PALMYRA_ERROR = 'Your payment method could not be verified for AWS Marketplace purchases.';

const BOT_POLICY: PolicySpec = {
  allow: ['sts:AssumeRole', 'bedrock:Get*', 'bedrock:List*', 'bedrock:InvokeModel'],
};
const READ_POLICY: PolicySpec = { allow: ['bedrock:Get*', 'bedrock:List*'] };
const ACTIVATION_POLICY: PolicySpec = {
  allow: [
    'bedrock:GetFoundationModel',
    'bedrock:GetFoundationModelAvailability',
    'bedrock:ListFoundationModelAgreementOffers',
    'bedrock:CreateFoundationModelAgreement',
    'bedrock:GetUseCaseForModelAccess',
    'bedrock:PutUseCaseForModelAccess',
    'bedrock:InvokeModel',
    'aws-marketplace:Subscribe',
    'aws-marketplace:ViewSubscriptions',
  ],
};

export interface StandardWorld {
  world: FakeAwsWorld;
  bot: { arn: string; accessKeyId: string; secretAccessKey: string };
  roles: { prodRead: string; sandboxActivation: string; prodActivation: string };
  accounts: Account[];
}

export interface StandardWorldOptions extends WorldOptions {
  botPolicy?: PolicySpec;
  readPolicy?: PolicySpec;
  activationPolicy?: PolicySpec;
}

export function createStandardWorld(options: StandardWorldOptions = {}): StandardWorld {
  const world = new FakeAwsWorld(options);
  world.addAccount(SANDBOX);
  world.addAccount(PROD);
  const bot = world.addUser(SANDBOX, 'bedrock-doctor', options.botPolicy ?? BOT_POLICY);
  const prodRead = world.addRole(PROD, 'bedrock-doctor-read', {
    ...(options.readPolicy ?? READ_POLICY),
    trustedPrincipals: [bot.arn],
    externalId: 'doctor-ext-id',
  });
  const activation = { ...(options.activationPolicy ?? ACTIVATION_POLICY), trustedPrincipals: [bot.arn] };
  const sandboxActivation = world.addRole(SANDBOX, 'bedrock-doctor-activation', activation);
  const prodActivation = world.addRole(PROD, 'bedrock-doctor-activation', {
    ...activation,
    externalId: 'doctor-ext-id',
  });

  addStandardCatalogue(world);

  const accounts: Account[] = [
    { id: SANDBOX, alias: 'sandbox', regions: REGIONS, activationRoleArn: sandboxActivation, default: true },
    {
      id: PROD,
      alias: 'prod',
      regions: ['us-east-1', 'us-west-2'],
      readRoleArn: prodRead,
      activationRoleArn: prodActivation,
      externalId: 'doctor-ext-id',
    },
  ];
  return { world, bot, roles: { prodRead, sandboxActivation, prodActivation }, accounts };
}

/** The model catalogue every standard world has: each case the status check and activation distinguish. */
export function addStandardCatalogue(world: FakeAwsWorld): FakeAwsWorld {
  return world
    .addModel({ modelId: MODELS.haiku, modelName: 'Claude 3 Haiku', providerName: 'Anthropic', regions: REGIONS })
    .addModel({
      modelId: MODELS.sonnet4,
      modelName: 'Claude Sonnet 4',
      providerName: 'Anthropic',
      regions: REGIONS,
      inferenceTypes: ['INFERENCE_PROFILE'],
    })
    .addModel({ modelId: MODELS.cohere, modelName: 'Command R+', providerName: 'Cohere', regions: REGIONS })
    .addModel({ modelId: MODELS.nova, modelName: 'Nova Pro', providerName: 'Amazon', regions: REGIONS })
    .addModel({
      modelId: MODELS.claudeV2,
      modelName: 'Claude',
      providerName: 'Anthropic',
      regions: REGIONS,
      lifecycle: 'LEGACY',
    })
    .addModel({
      modelId: MODELS.instant,
      modelName: 'Claude Instant',
      providerName: 'Anthropic',
      regions: REGIONS,
      lifecycle: 'EOL',
    })
    .addModel({
      modelId: MODELS.jamba,
      modelName: 'Jamba 1.5 Large',
      providerName: 'AI21 Labs',
      regions: ['us-west-2'],
    })
    .addModel({
      modelId: MODELS.palmyra,
      modelName: 'Palmyra X5',
      providerName: 'Writer',
      regions: REGIONS,
      agreementError: PALMYRA_ERROR,
    })
    .addInferenceProfile({
      id: `us.${MODELS.sonnet4}`,
      name: 'US Claude Sonnet 4',
      regions: ['us-east-1', 'us-west-2'],
      modelId: MODELS.sonnet4,
    })
    .addInferenceProfile({
      id: `eu.${MODELS.sonnet4}`,
      name: 'EU Claude Sonnet 4',
      regions: ['eu-west-1'],
      modelId: MODELS.sonnet4,
    })
    .addInferenceProfile({
      id: `us.${MODELS.haiku}`,
      name: 'US Claude 3 Haiku',
      regions: ['us-east-1', 'us-west-2'],
      modelId: MODELS.haiku,
    });
}

/** Environment for the real SDK clients: the fake's endpoints and the bot's (fake) keys. Never the machine's. */
export function fakeEnv(fake: FakeAws, bot: StandardWorld['bot']): Record<string, string> {
  return {
    ...fake.env,
    AWS_ACCESS_KEY_ID: bot.accessKeyId,
    AWS_SECRET_ACCESS_KEY: bot.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
}

/** A Config for the standard world, with test-sized activation timing. */
export function testConfig(
  accounts: Account[],
  activation: Partial<Config['activation']> = {},
): Pick<Config, 'accounts' | 'activation' | 'defaultRegion'> {
  return {
    defaultRegion: 'us-east-1',
    accounts,
    activation: { deadlineMs: 2_000, pollIntervalMs: 5, verifyWithConverse: false, ...activation },
  };
}

export const VETTED_FORM = {
  companyName: 'Example Corp',
  companyWebsite: 'https://example.com',
  intendedUsers: '0',
  industryOption: 'Technology',
  otherIndustryOption: '',
  useCases: 'Internal engineering assistants that summarise tickets and draft code reviews.',
};
