// `/bedrock help`, and the answer to an empty or unknown subcommand.
import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from './message.js';
import { inlineCode } from './mrkdwn.js';

const USAGE = [
  '`/bedrock why <pasted error>` — explain a Bedrock access error: the cause, what the error shows, and the fix.',
  '`/bedrock status <model> [region]` — check live whether a model is ready to use in our account.',
  '`/bedrock request <model> [region]` — ask for a model to be activated: a form opens, approvers get a card in ' +
    'their channel, and once one presses *Approve* the bot activates it and tells you.',
  '`/bedrock requests` — open requests and their state (approvers see all, others their own).',
  '`/bedrock help` — this message.',
  'You can also paste an error in a direct message to me, or mention me with it in a channel; I reply in a thread.',
].join('\n');

export function helpMessage(): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Bedrock Access Doctor', emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'I explain Amazon Bedrock `AccessDeniedException` and friends, and check whether a model is activated.',
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: USAGE } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Example: `/bedrock status anthropic.claude-3-5-sonnet-20240620-v1:0 us-east-1`',
        },
      ],
    },
  ];
  return {
    text: 'Bedrock Access Doctor: /bedrock why <error>, /bedrock status <model> [region], /bedrock request <model>, /bedrock requests, /bedrock help',
    blocks,
  };
}

/** An unknown subcommand: say what was not understood, then the usage. */
export function unknownSubcommandMessage(word: string): SlackMessage {
  const help = helpMessage();
  const intro = `I don't know ${inlineCode(word, 40)}. Here is what I can do:`;
  return {
    text: `I don't know that command. Try /bedrock help.`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: intro } }, ...help.blocks.slice(2)],
  };
}

/** A subcommand whose argument is missing. */
export function usageMessage(problem: string, example: string): SlackMessage {
  const text = `${problem}\nFor example: \`${example}\``;
  return { text: problem, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** The reply to a DM or mention with nothing we could recognise in it. */
export function noErrorFoundMessage(): SlackMessage {
  const text =
    "I couldn't find a Bedrock error in that. Paste the full error message (the `AccessDeniedException …` line " +
    'is enough), or try `/bedrock help`.';
  return {
    text: "I couldn't find a Bedrock error in that. Paste the error or try /bedrock help.",
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
