// A DM to the bot, or a mention with an error pasted: the same diagnosis as `/bedrock why`, as a threaded reply.
// Only messages typed by people count: the bot's own posts, other bots, edits, joins etc. are ignored (no loops).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { diagnosisCard, isEmptyDiagnosis } from '../blocks/diagnosis-card.js';
import { noErrorFoundMessage } from '../blocks/help.js';
import { holdPaste } from '../held-pastes.js';
import type { ListenerDeps } from '../listener-deps.js';
import { slackTextToPlain, withoutMentionOf } from '../slack-text.js';

/** The fields we read from a message-like event; Slack's event union is wider than we need. */
interface PastedMessage {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel?: string;
  channel_type?: string;
  ts?: string;
  thread_ts?: string;
}

export type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;
export type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

export function directMessage(deps: ListenerDeps) {
  return async function onDirectMessage({ event, context }: MessageArgs): Promise<void> {
    const message = event as PastedMessage;
    if (message.channel_type !== 'im') return;
    await answerPaste(deps, message, context.botUserId);
  };
}

export function appMention(deps: ListenerDeps) {
  return async function onAppMention({ event, context }: MentionArgs): Promise<void> {
    const message = event as PastedMessage;
    // A mention inside a DM also arrives as message.im; answer that one only.
    if (message.channel?.startsWith('D')) return;
    await answerPaste(deps, message, context.botUserId);
  };
}

/** Whether a person wrote this (not a bot, not an edit/join/topic change, not ourselves). */
export function isFromPerson(message: PastedMessage, botUserId: string | undefined): boolean {
  if (message.subtype !== undefined || message.bot_id !== undefined) return false;
  if (!message.user || message.user === botUserId) return false;
  return typeof message.channel === 'string' && typeof message.ts === 'string';
}

async function answerPaste(deps: ListenerDeps, message: PastedMessage, botUserId: string | undefined): Promise<void> {
  if (!isFromPerson(message, botUserId)) return;
  const reference = deps.newReference();
  const log = deps.logger.child({ reference, event: message.type, user: message.user, channel: message.channel });
  const pasted = slackTextToPlain(withoutMentionOf(message.text ?? '', botUserId));
  const diagnosis = deps.diagnose(pasted);
  const empty = isEmptyDiagnosis(diagnosis);
  const held = empty ? undefined : holdPaste(deps.misses, { pasted, diagnosis, userId: message.user as string, log });
  const reply = empty
    ? noErrorFoundMessage()
    : diagnosisCard({ diagnosis, pasted, showExcerpt: false, ...(held ? { miss: held.offer } : {}) });
  log.info('paste diagnosed', { category: diagnosis.category, chars: pasted.length });
  // Held before the reply is queued: the button must find the paste however fast the reply is posted and pressed.
  await held?.hold();
  await deps.jobs.enqueue({
    kind: 'post_message',
    channel: message.channel as string,
    threadTs: message.thread_ts ?? (message.ts as string),
    message: reply,
    reference,
  });
}
