// Role credentials as the SDK's fromTemporaryCredentials gets them, against the fake STS: ExternalId, SourceIdentity
// and session tags reach AssumeRole, and a client reuses its session instead of assuming the role per call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/ports.js';
import { type AwsClients, createAwsClients } from '../../src/aws/aws-clients.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { createStandardWorld, fakeEnv, MODELS, PROD, type StandardWorld } from '../fakes/aws/standard-world.js';

let std: StandardWorld;
let fake: FakeAws;
let clients: AwsClients;

beforeEach(async () => {
  std = createStandardWorld();
  fake = await startFakeAws(std.world);
  clients = createAwsClients({ env: fakeEnv(fake, std.bot), maxAttempts: 1 });
});
afterEach(async () => {
  clients.destroy();
  await fake.close();
});

describe('role principals', () => {
  it('assume the role with ExternalId, SourceIdentity and session tags', async () => {
    const as: Principal = {
      kind: 'role',
      roleArn: std.roles.prodActivation,
      externalId: 'doctor-ext-id',
      sessionName: 'bd-req-0042',
      sourceIdentity: 'ann@example.com',
      tags: { 'bedrock-doctor:request-id': 'req-0042' },
    };

    const who = await clients.identity('us-east-1', as).getCallerIdentity();

    expect(who.arn).toBe(`arn:aws:sts::${PROD}:assumed-role/bedrock-doctor-activation/bd-req-0042`);
    expect(std.world.sessions()).toEqual([
      expect.objectContaining({
        name: 'bd-req-0042',
        sourceIdentity: 'ann@example.com',
        tags: { 'bedrock-doctor:request-id': 'req-0042' },
      }),
    ]);
    expect(std.world.calls.find((c) => c.operation === 'AssumeRole')?.params).toMatchObject({
      RoleArn: std.roles.prodActivation,
      ExternalId: 'doctor-ext-id',
    });
  });

  it('reuse one session for every call a client makes', async () => {
    const as: Principal = { kind: 'role', roleArn: std.roles.prodRead, externalId: 'doctor-ext-id' };
    const control = clients.control('us-east-1', as);

    await Promise.all([control.getFoundationModel(MODELS.cohere), control.getFoundationModel(MODELS.cohere)]);
    await control.getFoundationModel(MODELS.nova);

    expect(std.world.callCount('GetFoundationModel')).toBe(3);
    expect(std.world.callCount('AssumeRole')).toBe(1);
  });

  it('surface a refused AssumeRole as the call failing, not as a crash', async () => {
    const as: Principal = { kind: 'role', roleArn: std.roles.prodRead, externalId: 'wrong-external-id' };
    await expect(clients.control('us-east-1', as).getFoundationModel(MODELS.cohere)).rejects.toThrow();
    expect(std.world.callCount('GetFoundationModel')).toBe(0);
  });
});
