// Registers Events API listeners: DMs to the bot and mentions of it.
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps.js';
import { appMention, directMessage } from './pasted-error.js';

export function registerEvents(app: App, deps: ListenerDeps): void {
  app.event('message', directMessage(deps));
  app.event('app_mention', appMention(deps));
}
