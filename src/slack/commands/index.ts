// Registers slash commands.
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps.js';
import { bedrockCommand } from './bedrock-command.js';

export const COMMAND = { bedrock: '/bedrock' } as const;

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command(COMMAND.bedrock, bedrockCommand(deps));
}
