// Opens a modal from a trigger_id. Slack lets a trigger open a view for 3 seconds only; a late views.open answers
// `expired_trigger_id` (a slow moment on our side or Slack's, fivexl #213). That is the person's next step, not an
// internal error: the caller tells them to press the button or run the command again. Other errors are thrown.
import type { webApi } from '@slack/bolt';
import type { View } from '@slack/types';
import { userErrorMessage } from './blocks/errors.js';
import type { SlackMessage } from './blocks/message.js';
import { slackErrorCode } from './slack-jobs.js';

export type OpenModalResult = 'opened' | 'expired';

export async function openModal(client: webApi.WebClient, triggerId: string, view: View): Promise<OpenModalResult> {
  try {
    await client.views.open({ trigger_id: triggerId, view });
    return 'opened';
  } catch (err) {
    if (slackErrorCode(err) === 'expired_trigger_id') return 'expired';
    throw err;
  }
}

/** What the person is told when the form could not open in time; `again` says what to do (press, run …). */
export function expiredTriggerMessage(again: string, reference: string): SlackMessage {
  return userErrorMessage(`Slack gave up on opening the form (it must open within 3 seconds). ${again}`, reference);
}
