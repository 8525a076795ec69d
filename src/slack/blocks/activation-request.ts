// The "Request activation" answer where no approval flow is set up: the exact admin command and what to check first.
import type { SlackMessage } from './message.js';
import { codeBlock, inlineCode } from './mrkdwn.js';

export interface ActivationRequestInput {
  modelId: string;
  region: string;
  reference: string;
}

export function activationRequestMessage({ modelId, region, reference }: ActivationRequestInput): SlackMessage {
  // Model ids and regions come from a validated button value, but the command is still shown escaped.
  const command = `bedrock-doctor activate ${modelId} --region ${region}`;
  const checks = [
    '• the model’s offer terms (EULA) and price are acceptable for the organisation,',
    '• no SCP or IAM policy deliberately blocks this model (then activation is the wrong fix),',
    '• for Anthropic models, the one-time use-case form is filled in for the account.',
  ].join('\n');
  return {
    text: `Ask an AWS admin to activate ${modelId} in ${region}: ${command}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `Activation of ${inlineCode(modelId)} in ${inlineCode(region)} is done once per account by an admin ` +
            'who holds the AWS Marketplace rights. Send them this command:',
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: codeBlock(command, 1500) } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Before running it, they should check:*\n${checks}` } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `No approval flow is set up here, so nothing was recorded (reference \`${reference}\`). Once activated, it can take ~2 minutes to work.`,
          },
        ],
      },
    ],
  };
}
