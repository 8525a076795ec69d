// `/bedrock why|status|help`. Answers inside the ack where the answer is pure and fast (why, help); a status
// check is acknowledged with "checking …" and finished by a background job through the response URL.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseModelRef } from '../../access/model-ref.js';
import { diagnosisCard, isEmptyDiagnosis } from '../blocks/diagnosis-card.js';
import { internalErrorMessage, userErrorMessage } from '../blocks/errors.js';
import { helpMessage, noErrorFoundMessage, unknownSubcommandMessage, usageMessage } from '../blocks/help.js';
import type { SlackMessage } from '../blocks/message.js';
import { requestModal } from '../blocks/request-modal.js';
import { checkingMessage } from '../blocks/status-card.js';
import { holdPaste, type PasteHold } from '../held-pastes.js';
import type { ListenerDeps } from '../listener-deps.js';
import { expiredTriggerMessage, openModal } from '../open-modal.js';
import { usableResponseUrl } from '../response-url.js';
import { slackTextToPlain } from '../slack-text.js';
import { slowDownMessage, takeStatusShare } from '../status-shares.js';
import { parseBedrockCommand } from './parse-bedrock-command.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function bedrockCommand(deps: ListenerDeps) {
  return async function onBedrockCommand({ command, ack, client }: CommandArgs): Promise<void> {
    const reference = deps.newReference();
    const fields = { reference, command: '/bedrock', user: command.user_id, team: command.team_id };
    const reply = (message: SlackMessage) => ack({ response_type: 'ephemeral', ...message });
    const responseUrl = usableResponseUrl(deps.allowsResponseUrl, command.response_url, deps.logger.child(fields));
    // Where background answers go: the response_url when it is Slack's, else the Web API (same user, same channel).
    const answerTo = {
      ...(responseUrl ? { responseUrl } : {}),
      replyTo: { userId: command.user_id, channelId: command.channel_id },
    };
    const asked = parseBedrockCommand(command.text ?? '');
    // One line per command (who asked what kind of thing); never the pasted text, which may hold account details.
    deps.logger.info('command received', { ...fields, subcommand: asked.kind, chars: (command.text ?? '').length });

    switch (asked.kind) {
      case 'help':
        return reply(helpMessage());
      case 'usage':
        return reply(usageMessage(asked.problem, asked.example));
      case 'why':
      case 'unknown': {
        // `/bedrock <pasted error>` without "why" is common: answer it when it reads as an error.
        const answer = explain(deps, asked.text, command, fields);
        if (!answer) {
          return reply(asked.kind === 'why' ? noErrorFoundMessage() : unknownSubcommandMessage(asked.word));
        }
        await reply(answer.message);
        await answer.held?.hold();
        return;
      }
      case 'request': {
        if (!deps.approval) return reply(notSetUpMessage());
        const accounts = await deps.approval.accounts();
        // A model ARN names its account and region: the form opens with them chosen (issue 8).
        const named = asked.modelRef ? arnNames(asked.modelRef) : {};
        const namedKnown = named.account && accounts.some((a) => a.key === named.account);
        // With an unnamed default account (no registry) the ARN's account may be the bot's own: the request decides.
        if (named.account && !namedKnown && accounts.every((a) => /^\d{12}$/.test(a.key))) {
          return reply(
            userErrorMessage(
              `Account ${named.account} is not managed by this bot, so I cannot request activation there.`,
              reference,
            ),
          );
        }
        await ack();
        // Opened now, inside the trigger's 3-second life; the slow checks run after submission.
        const region = asked.region ?? named.region;
        const opened = await openModal(
          client,
          command.trigger_id,
          requestModal({
            accounts,
            ...(asked.modelRef ? { modelRef: asked.modelRef } : {}),
            ...(namedKnown ? { accountKey: named.account } : {}),
            ...(region ? { region } : {}),
          }),
        );
        if (opened === 'expired') {
          deps.logger.warn('request form not opened: trigger expired', fields);
          await deps.jobs.enqueue({
            kind: 'respond',
            ...answerTo,
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
          replyTo: { ...answerTo.replyTo, ...(responseUrl ? { responseUrl } : {}) },
          reference,
        });
        return;
      }
      case 'status': {
        const share = await takeStatusShare(deps.statusChecks, command.user_id, deps.logger.child(fields));
        if (!share.ok) {
          deps.logger.info('status check refused: over the per-person share', fields);
          return reply(slowDownMessage(share, deps.statusChecks));
        }
        const regions = asked.region ? [asked.region] : [];
        // Ack first, then enqueue: the "checking …" message must reach Slack before the job can replace it.
        await reply(checkingMessage(asked.modelRef, regions));
        try {
          await deps.jobs.enqueue({
            kind: 'status_check',
            query: { modelRef: asked.modelRef, ...(asked.region ? { regions } : {}) },
            ...answerTo,
            replaceOriginal: true,
            reference,
          });
        } catch (err) {
          const log = deps.logger.child(fields);
          log.error('could not start the status check', { err });
          await deps.jobs
            .enqueue({
              kind: 'respond',
              ...answerTo,
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

/** The diagnosis card for pasted text and its hold for "Not what happened?"; undefined when nothing is recognisable. */
function explain(
  deps: ListenerDeps,
  slackText: string,
  command: CommandArgs['command'],
  fields: Record<string, unknown>,
): { message: SlackMessage; held?: PasteHold } | undefined {
  const pasted = slackTextToPlain(slackText);
  const diagnosis = deps.diagnose(pasted);
  if (isEmptyDiagnosis(diagnosis)) return undefined;
  const held = holdPaste(deps.misses, {
    pasted,
    diagnosis,
    userId: command.user_id,
    teamId: command.team_id,
    log: deps.logger,
    fields,
  });
  const message = diagnosisCard({ diagnosis, pasted, showExcerpt: true, ...(held ? { miss: held.offer } : {}) });
  return { message, ...(held ? { held } : {}) };
}

/** The account and region a model ARN names, if it is one; nothing for ids or references that do not parse. */
function arnNames(modelRef: string): { account?: string; region?: string } {
  try {
    const ref = parseModelRef(modelRef);
    return {
      ...(ref.arnAccount ? { account: ref.arnAccount } : {}),
      ...(ref.arnRegion ? { region: ref.arnRegion } : {}),
    };
  } catch {
    return {};
  }
}
