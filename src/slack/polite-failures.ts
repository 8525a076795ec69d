// The last line of defence for every listener: an error that escapes one becomes a polite message with a reference
// id for the person who asked, and one structured log line under that reference. No stack trace reaches Slack.
import type { AllMiddlewareArgs, AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../log.js';
import { internalErrorMessage } from './blocks/errors.js';
import type { SlackMessage } from './blocks/message.js';
import type { ResponseUrlCheck } from './response-url.js';

interface MaybeArgs {
  ack?: (message?: unknown) => Promise<void>;
  respond?: (message: unknown) => Promise<unknown>;
  command?: unknown;
  event?: { user?: unknown; bot_id?: unknown; subtype?: unknown; channel?: unknown; ts?: unknown; thread_ts?: unknown };
}

export function politeFailures(
  logger: Logger,
  newReference: () => string,
  allowsResponseUrl: ResponseUrlCheck,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (err) {
      const reference = newReference();
      const log = logger.child({ reference });
      log.error('unhandled error in a Slack listener', { err, code: (err as { code?: unknown }).code });
      const message = internalErrorMessage(reference, 'answering you');
      const a = args as unknown as MaybeArgs;
      // A listener that failed before its ack: the ack itself carries the apology (slash commands show it).
      if (a.ack) {
        const acked = await a.ack(a.command ? { response_type: 'ephemeral', ...message } : undefined).then(
          () => true,
          () => false, // already acknowledged
        );
        if (acked && a.command) return;
      }
      // Bolt's respond() posts to whatever response_url the payload names: only Slack's own is used.
      const responseUrl = (args.body as { response_url?: unknown }).response_url;
      if (a.respond && typeof responseUrl === 'string' && !allowsResponseUrl(responseUrl)) {
        log.warn('response_url is not a Slack response URL; answering through the Web API instead');
        await tellByWebApi(args, message).catch((again: unknown) =>
          log.warn('could not tell the user about the failure', { err: again }),
        );
        return;
      }
      if (a.respond) {
        await a
          .respond({ response_type: 'ephemeral', replace_original: false, ...message })
          .catch((again: unknown) => log.warn('could not tell the user about the failure', { err: again }));
        return;
      }
      const e = a.event;
      // Events: answer a person's message in its thread; never a bot's (no loops).
      if (e && typeof e.user === 'string' && e.bot_id === undefined && e.subtype === undefined) {
        if (e.user === args.context.botUserId || typeof e.channel !== 'string' || typeof e.ts !== 'string') return;
        await args.client.chat
          .postMessage({
            channel: e.channel,
            thread_ts: typeof e.thread_ts === 'string' ? e.thread_ts : e.ts,
            text: message.text,
            blocks: message.blocks,
          })
          .catch((again: unknown) => log.warn('could not tell the user about the failure', { err: again }));
      }
    }
  };
}

/** An ephemeral in the payload's channel, else a DM: what is left when its response_url is not Slack's. */
async function tellByWebApi(args: AnyMiddlewareArgs & { client: AllMiddlewareArgs['client'] }, message: SlackMessage) {
  const body = args.body as {
    user?: { id?: unknown };
    user_id?: unknown;
    channel?: { id?: unknown };
    channel_id?: unknown;
  };
  const user = body.user?.id ?? body.user_id;
  const channel = body.channel?.id ?? body.channel_id;
  if (typeof user !== 'string') return;
  const content = { text: message.text, blocks: message.blocks };
  if (typeof channel === 'string') {
    const shown = await args.client.chat.postEphemeral({ channel, user, ...content }).then(
      () => true,
      () => false,
    );
    if (shown) return;
  }
  await args.client.chat.postMessage({ channel: user, ...content });
}
