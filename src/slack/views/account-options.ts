// The request modal's account menu when the registry has more accounts than a static select lists (100): Slack asks
// for the options as the person types (`block_suggestion`), and gets the registry's matches.
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { accountSuggestions } from '../blocks/request-modal.js';
import type { ListenerDeps } from '../listener-deps.js';

export function accountOptions(deps: ListenerDeps) {
  return async function onAccountOptions({
    ack,
    body,
  }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs): Promise<void> {
    const accounts = (await deps.approval?.accounts()) ?? [];
    await ack({ options: accountSuggestions(accounts, body.value ?? '') });
  };
}
