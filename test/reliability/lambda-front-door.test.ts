// The Slack Lambda's front door with header names as a proxy or test tool might send them. A Function URL delivers
// payload 2.0: one `headers` map (AWS lower-cases the names; there is no `multiValueHeaders`). The guard must not
// depend on that: any case is read, and a request it refuses never reaches Bolt or the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackFunction, type SlackFunction } from '../../handlers/lambda/slack.js';
import {
  functionUrlEvent,
  type LambdaFixture,
  lambdaContext,
  startLambdaFixture,
} from '../handlers/lambda/lambda-fixture.js';
import { signSlashCommand } from '../support/slack/signer.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';

let fx: LambdaFixture;
let fn: SlackFunction;

beforeAll(async () => {
  fx = await startLambdaFixture();
  fn = await createSlackFunction(fx.slackEnv, { writeLog: () => {} });
});

afterAll(async () => {
  await fn?.close();
  await fx?.close();
});

/** The same headers with their names re-cased. */
function recased(headers: Record<string, string>, how: (name: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [how(name), value]));
}

const titleCase = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

describe('Slack function: header names in any case', () => {
  it.each([
    ['lower case (as AWS sends them)', (n: string) => n],
    ['Title-Case', titleCase],
    ['UPPER CASE', (n: string) => n.toUpperCase()],
  ])('verifies a signed command whose header names are in %s', async (_name, how) => {
    const signed = signSlashCommand(SIGNING_SECRET, { text: 'help', response_url: fx.slackApi.responseUrl() });
    const event = functionUrlEvent(signed);

    const result = await fn.handle(
      { ...event, headers: recased(event.headers as Record<string, string>, how) },
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('/bedrock why');
  });

  it('still refuses a forged signature whatever the case of its header name', async () => {
    const signed = signSlashCommand('not-the-secret', { text: 'help', response_url: fx.slackApi.responseUrl() });
    const event = functionUrlEvent(signed);

    const result = await fn.handle(
      { ...event, headers: recased(event.headers as Record<string, string>, (n) => n.toUpperCase()) },
      lambdaContext(),
    );

    expect(result.statusCode).toBe(401);
    expect(fx.queue.sent).toEqual([]);
  });
});
