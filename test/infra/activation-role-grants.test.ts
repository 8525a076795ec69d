// The activation role as the member template writes it must let an activation run to the end: its actions are
// taken from the synthesized template, not from a hand-written list.
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, expect, it } from 'vitest';
import { MemberAccountStack } from '../../infra/lib/member-account-stack.js';
import { createAccessServices } from '../../src/runtime/compose-access.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { createStandardWorld, fakeEnv, MODELS, PROD, testConfig } from '../fakes/aws/standard-world.js';
import { actionsOf, newApp, statementsOfRole } from './infra-fixture.js';

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

it('an activation with only the template activation role actions reaches an AVAILABLE agreement', async () => {
  const template = Template.fromStack(new MemberAccountStack(newApp(), 'Member', { botAccountId: '111122223333' }));
  const allow = statementsOfRole(template, 'ActivationRole').flatMap(actionsOf);
  const std = createStandardWorld({ settleMs: 10, activationPolicy: { allow } });
  fake = await startFakeAws(std.world);
  const services = createAccessServices(testConfig(std.accounts), { env: fakeEnv(fake, std.bot), maxAttempts: 1 });
  try {
    const result = await services.activateModel({
      requestId: 'req-grants',
      modelRef: MODELS.cohere,
      account: PROD,
      approver: 'U0APPROVER',
    });
    expect(result.outcome).toBe('ACTIVE');
    expect(std.world.agreement(PROD, MODELS.cohere)?.status).toBe('AVAILABLE');
  } finally {
    services.close();
  }
}, 60_000);
