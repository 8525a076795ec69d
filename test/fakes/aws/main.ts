// `npm run fake-aws`: the fake AWS with a demo world, for trying the CLI or the Slack app without an AWS account.
// Prints the environment to export; agreements settle after FAKE_AWS_SETTLE_MS (default 20 s) so PENDING is visible.
import { startFakeAws } from './server.js';
import { createStandardWorld, SANDBOX } from './standard-world.js';

const settleMs = Number(process.env.FAKE_AWS_SETTLE_MS ?? 20_000);
const port = Number(process.env.FAKE_AWS_PORT ?? 0);
const std = createStandardWorld({ settleMs });
// An application developer without Marketplace rights: their first call to a third-party model fails.
const developer = std.world.addUser(SANDBOX, 'app-developer', { allow: ['bedrock:InvokeModel'] });
const fake = await startFakeAws(std.world, { port });

const lines = [
  `export AWS_ENDPOINT_URL_BEDROCK=${fake.endpoints.bedrock}`,
  `export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${fake.endpoints.bedrockRuntime}`,
  `export AWS_ENDPOINT_URL_STS=${fake.endpoints.sts}`,
  `export AWS_ACCESS_KEY_ID=${std.bot.accessKeyId}`,
  `export AWS_SECRET_ACCESS_KEY=${std.bot.secretAccessKey}`,
  'export AWS_REGION=us-east-1',
  `export BEDROCK_DOCTOR_ACCOUNTS='${JSON.stringify(std.accounts)}'`,
];
process.stdout.write(
  `# fake AWS listening (agreements settle after ${settleMs} ms). Paste into your shell:\n${lines.join('\n')}\n` +
    `# keys of a developer without Marketplace rights: ${developer.accessKeyId} / ${developer.secretAccessKey}\n` +
    '# try: npx bedrock-doctor status anthropic.claude-3-haiku-20240307-v1:0   (Ctrl-C to stop)\n',
);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
