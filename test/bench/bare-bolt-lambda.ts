// The cold-start benchmark's baseline: the smallest Bolt app behind AwsLambdaReceiver that answers `/bedrock`, written
// as any Bolt user would (no trims). It knows its bot ids, as ours does, so neither makes an auth.test call.
import { App, AwsLambdaReceiver } from '@slack/bolt';

const receiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '' });
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  botId: process.env.SLACK_BOT_ID,
  botUserId: process.env.SLACK_BOT_USER_ID,
  tokenVerificationEnabled: false,
});
app.command('/bedrock', async ({ command, ack }) => {
  await ack({ response_type: 'ephemeral', text: `Received ${command.text.length} characters.` });
});

const handle = receiver.toHandler();
export const handler = (event: Parameters<typeof handle>[0], context: unknown) => handle(event, context);
