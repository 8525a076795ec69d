import {
  BedrockClient,
  GetFoundationModelCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
} from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from './server.js';
import { createStandardWorld, MODELS, SANDBOX, type StandardWorld, VETTED_FORM } from './standard-world.js';

let std: StandardWorld;
let fake: FakeAws;
let developer: { arn: string; accessKeyId: string; secretAccessKey: string };
let admin: { arn: string; accessKeyId: string; secretAccessKey: string };
const clients: { destroy(): void }[] = [];

beforeEach(async () => {
  std = createStandardWorld({ settleMs: 30 });
  developer = std.world.addUser(SANDBOX, 'developer', { allow: ['bedrock:InvokeModel'] });
  admin = std.world.addUser(SANDBOX, 'admin', { allow: ['bedrock:*', 'aws-marketplace:*'] });
  fake = await startFakeAws(std.world);
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await fake.close();
});

const keys = (k: { accessKeyId: string; secretAccessKey: string }) => ({
  accessKeyId: k.accessKeyId,
  secretAccessKey: k.secretAccessKey,
});
function runtime(k: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1') {
  const c = new BedrockRuntimeClient({
    region,
    endpoint: fake.endpoints.bedrockRuntime,
    credentials: keys(k),
    maxAttempts: 1,
  });
  clients.push(c);
  return c;
}
function bedrock(k: { accessKeyId: string; secretAccessKey: string }) {
  const c = new BedrockClient({
    region: 'us-east-1',
    endpoint: fake.endpoints.bedrock,
    credentials: keys(k),
    maxAttempts: 1,
  });
  clients.push(c);
  return c;
}
function sts(k: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const c = new STSClient({ region: 'us-east-1', endpoint: fake.endpoints.sts, credentials: k, maxAttempts: 1 });
  clients.push(c);
  return c;
}
const converse = (modelId: string) =>
  new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: { name: string; message: string; $metadata: { httpStatusCode?: number; requestId?: string } }) => e,
  );

describe('fake AWS: Bedrock error wire format', () => {
  it('sends x-amzn-ErrorType with the coral suffix, a request id, and a lower-case message body', async () => {
    const res = await fetch(`${fake.endpoints.bedrock}/foundation-models/${encodeURIComponent('nope.nope-v1:0')}`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${std.bot.accessKeyId}/20261126/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00`,
      },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe(
      'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.bedrock/',
    );
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({
      message: 'Could not resolve the foundation model from the provided model identifier.',
    });
  });

  it('sends IAM denials with a capital-M Message, which the SDK surfaces as the message', async () => {
    const err = await failure(bedrock(developer).send(new ListFoundationModelsCommand({})));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toBe(
      `User: ${developer.arn} is not authorized to perform: bedrock:ListFoundationModels on resource: * because no identity-based policy allows the bedrock:ListFoundationModels action`,
    );
  });

  it('percent-decodes model ids and filters inference profiles by type', async () => {
    const out = await bedrock(admin).send(new GetFoundationModelCommand({ modelIdentifier: MODELS.haiku }));
    expect(out.modelDetails?.modelLifecycle?.startOfLifeTime).toBeInstanceOf(Date);
    const profiles = await bedrock(admin).send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION' }));
    expect(profiles.inferenceProfileSummaries).toEqual([]);
  });

  it('rejects unknown access keys the way Bedrock does', async () => {
    const err = await failure(
      bedrock({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' }).send(new ListFoundationModelsCommand({})),
    );
    expect([err.name, err.message]).toEqual([
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ]);
  });

  it('injects faults per operation and counts every call', async () => {
    std.world.injectFault('ListFoundationModels', { kind: 'server-error', times: 1 });
    const err = await failure(bedrock(admin).send(new ListFoundationModelsCommand({})));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['InternalServerException', 500]);
    await bedrock(admin).send(new ListFoundationModelsCommand({}));
    expect(std.world.callCount('ListFoundationModels')).toBe(2);
  });
});

describe('fake AWS: runtime first-use behaviour over HTTP/2', () => {
  it('denies a caller without Marketplace rights with the exact Marketplace message', async () => {
    const err = await failure(runtime(developer).send(converse(MODELS.cohere)));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toMatch(
      /^Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions \(aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe\)/,
    );
    expect(std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();
  });

  it('auto-subscribes the account on a first call by a caller with Marketplace rights; then anyone may call', async () => {
    std.world.settleMs = 60_000;
    const out = await runtime(admin).send(converse(MODELS.cohere));
    expect(out.stopReason).toBe('end_turn');
    const agreement = std.world.agreement(SANDBOX, MODELS.cohere);
    expect(agreement?.status).toBe('PENDING');
    if (agreement) agreement.settleAt = 0; // let it settle now
    expect((await runtime(developer).send(converse(MODELS.cohere))).output?.message?.content?.[0]?.text).toBe('OK');
  });

  it('answers the Anthropic first-time-use error until the form is on file', async () => {
    const err = await failure(runtime(admin).send(converse(MODELS.haiku)));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect(err.message).toContain('Model use case details have not been submitted for this account.');
    std.world.putUseCaseForm(SANDBOX, VETTED_FORM);
    await runtime(admin).send(new InvokeModelCommand({ modelId: MODELS.haiku, body: new TextEncoder().encode('{}') }));
  });

  it('refuses a profile-only model by bare id with the curly-apostrophe on-demand message, and serves its profile', async () => {
    std.world.putUseCaseForm(SANDBOX, VETTED_FORM);
    const err = await failure(runtime(admin).send(converse(MODELS.sonnet4)));
    expect(err.message).toBe(
      `Invocation of model ID ${MODELS.sonnet4} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
    );
    await runtime(admin).send(converse(`us.${MODELS.sonnet4}`));
  });

  it('answers legacy and end-of-life models with 404s and unknown ids with a ValidationException', async () => {
    expect((await failure(runtime(admin).send(converse(MODELS.claudeV2)))).message).toContain(
      'marked by provider as Legacy',
    );
    expect((await failure(runtime(admin).send(converse(MODELS.instant)))).message).toContain(
      'reached the end of its life',
    );
    const unknown = await failure(runtime(admin).send(converse('cohere.nothing-v9:0')));
    expect([unknown.name, unknown.message]).toEqual([
      'ValidationException',
      'The provided model identifier is invalid.',
    ]);
  });

  it('answers an SCP deny in the SCP wording', async () => {
    std.world.accounts.get(SANDBOX)?.scpDeny.push('bedrock:InvokeModel');
    const err = await failure(runtime(admin).send(converse(MODELS.nova)));
    expect(err.message).toContain('with an explicit deny in a service control policy');
  });
});

describe('fake AWS: STS', () => {
  it('returns the caller identity, and the assumed-role identity for a session', async () => {
    expect((await sts(keys(std.bot)).send(new GetCallerIdentityCommand({}))).Arn).toBe(std.bot.arn);
    const out = await sts(keys(std.bot)).send(
      new AssumeRoleCommand({ RoleArn: std.roles.sandboxActivation, RoleSessionName: 'req-42', SourceIdentity: 'ann' }),
    );
    const c = out.Credentials;
    const session = {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken,
    };
    const me = await sts(session).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${SANDBOX}:assumed-role/bedrock-doctor-activation/req-42`);
    expect(out.SourceIdentity).toBe('ann');
  });

  it('denies AssumeRole without the ExternalId the trust policy requires', async () => {
    const err = await failure(
      sts(keys(std.bot)).send(new AssumeRoleCommand({ RoleArn: std.roles.prodRead, RoleSessionName: 'x1' })),
    );
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(err.message).toBe(
      `User: ${std.bot.arn} is not authorized to perform: sts:AssumeRole on resource: ${std.roles.prodRead}`,
    );
  });

  it('rejects a RoleSessionName outside the STS character set', async () => {
    const err = await failure(
      sts(keys(std.bot)).send(new AssumeRoleCommand({ RoleArn: std.roles.sandboxActivation, RoleSessionName: 'a b' })),
    );
    expect(err.name).toBe('ValidationError');
  });

  it('rejects an expired session token', async () => {
    const out = await sts(keys(std.bot)).send(
      new AssumeRoleCommand({ RoleArn: std.roles.sandboxActivation, RoleSessionName: 'old', DurationSeconds: 900 }),
    );
    const realNow = std.world.now;
    std.world.now = () => realNow() + 901_000;
    const c = out.Credentials;
    const err = await failure(
      sts({
        accessKeyId: c?.AccessKeyId ?? '',
        secretAccessKey: c?.SecretAccessKey ?? '',
        sessionToken: c?.SessionToken,
      }).send(new GetCallerIdentityCommand({})),
    );
    expect(err.name).toBe('ExpiredToken');
  });
});
