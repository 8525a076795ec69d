// `/bedrock why|status|help`. Answers inside the ack where the answer is pure and fast (why, help); a status
// check is acknowledged with "checking …" and finished by a background job through the response URL.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { diagnosisCard, isEmptyDiagnosis } from '../blocks/diagnosis-card.js';
import { internalErrorMessage } from '../blocks/errors.js';
import { helpMessage, noErrorFoundMessage, unknownSubcommandMessage, usageMessage } from '../blocks/help.js';
import type { SlackMessage } from '../blocks/message.js';
import { requestModal } from '../blocks/request-modal.js';
import { checkingMessage } from '../blocks/status-card.js';
import type { ListenerDeps } from '../listener-deps.js';
import { expiredTriggerMessage, openModal } from '../open-modal.js';
import { slackTextToPlain } from '../slack-text.js';
import { parseBedrockCommand } from './parse-bedrock-command.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function bedrockCommand(deps: ListenerDeps) {
  return async function onBedrockCommand({ command, ack, client }: CommandArgs): Promise<void> {
    const reference = deps.newReference();
    const fields = { reference, command: '/bedrock', user: command.user_id, team: command.team_id };
    const reply = (message: SlackMessage) => ack({ response_type: 'ephemeral', ...message });
    const asked = parseBedrockCommand(command.text ?? '');
    // One line per command (who asked what kind of thing); never the pasted text, which may hold account details.
    deps.logger.info('command received', { ...fields, subcommand: asked.kind, chars: (command.text ?? '').length });

    switch (asked.kind) {
      case 'help':
        return reply(helpMessage());
      case 'usage':
        return reply(usageMessage(asked.problem, asked.example));
      case 'why':
        return reply(explain(deps, asked.text) ?? noErrorFoundMessage());
      case 'unknown':
        // `/bedrock <pasted error>` without "why" is common: answer it when it reads as an error.
        return reply(explain(deps, asked.text) ?? unknownSubcommandMessage(asked.word));
      case 'request': {
        if (!deps.approval) return reply(notSetUpMessage());
        await ack();
        // Opened now, inside the trigger's 3-second life; the slow checks run after submission.
        const opened = await openModal(
          client,
          command.trigger_id,
          requestModal({
            accounts: deps.approval.accounts,
            ...(asked.modelRef ? { modelRef: asked.modelRef } : {}),
            ...(asked.region ? { region: asked.region } : {}),
          }),
        );
        if (opened === 'expired') {
          deps.logger.warn('request form not opened: trigger expired', fields);
          await deps.jobs.enqueue({
            kind: 'respond',
            responseUrl: command.response_url,
            message: expiredTriggerMessage('Run `/bedrock request` again.', reference),
            replaceOriginal: false,
            reference,
          });
        }
        return;
      }
      case 'requests': {
        if (!deps.approval) return reply(notSetUpMessage());
        await reply(listingMessage());
        await deps.jobs.enqueue({
          kind: 'list_requests',
          replyTo: { userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url },
          reference,
        });
        return;
      }
      case 'status': {
        const regions = asked.region ? [asked.region] : [];
        // Ack first, then enqueue: the "checking …" message must reach Slack before the job can replace it.
        await reply(checkingMessage(asked.modelRef, regions));
        try {
          await deps.jobs.enqueue({
            kind: 'status_check',
            query: { modelRef: asked.modelRef, ...(asked.region ? { regions } : {}) },
            responseUrl: command.response_url,
            replaceOriginal: true,
            reference,
          });
        } catch (err) {
          const log = deps.logger.child(fields);
          log.error('could not start the status check', { err });
          await deps.jobs
            .enqueue({
              kind: 'respond',
              responseUrl: command.response_url,
              message: internalErrorMessage(reference, 'starting the status check'),
              replaceOriginal: true,
              reference,
            })
            .catch((again: unknown) => log.error('could not report the failure either', { err: again }));
        }
        return;
      }
    }
  };
}

function notSetUpMessage(): SlackMessage {
  const text = 'Requests are not set up here yet: the bot has no approval flow configured. Ask whoever runs the bot.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function listingMessage(): SlackMessage {
  const text = ':hourglass_flowing_sand: Looking up open requests …';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** The diagnosis card for pasted text, or undefined when nothing in it is recognisable. */
function explain(deps: ListenerDeps, slackText: string): SlackMessage | undefined {
  const pasted = slackTextToPlain(slackText);
  const diagnosis = deps.diagnose(pasted);
  if (isEmptyDiagnosis(diagnosis)) return undefined;
  return diagnosisCard({ diagnosis, pasted, showExcerpt: true });
}
