// What a person sees when something fails: polite, short, with a reference id that finds the log line.
import type { SlackMessage } from './message.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Something went wrong on our side; the details are in the log under `reference`. */
export function internalErrorMessage(reference: string, doing: string): SlackMessage {
  const text =
    `Sorry, something went wrong on our side while ${doing}. Please try again in a minute. ` +
    `If it keeps happening, give this reference to whoever runs the bot: \`${escapeMrkdwn(reference)}\``;
  return {
    text: `Sorry, something went wrong while ${doing} (reference ${reference}).`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }],
  };
}

/** The user can fix this (bad model id, unknown account…): show the message itself. */
export function userErrorMessage(message: string, reference: string): SlackMessage {
  const shown = escapeMrkdwn(truncate(message, 1500));
  return {
    text: shown,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:information_source: ${shown}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Reference: \`${escapeMrkdwn(reference)}\`` }] },
    ],
  };
}
