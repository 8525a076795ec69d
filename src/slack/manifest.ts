// The Slack app manifest (format v1, as "Create New App → From an app manifest" takes it), built from what the code
// listens for. Without a request URL it is the Socket Mode manifest kept in manifest.yml (a test holds the two
// equal); with one it is the HTTP-mode manifest `bedrock-doctor manifest --request-url` prints for a deployment.
import { REQUEST_BLOCKS } from './blocks/request-modal.js';
import { COMMAND } from './commands/index.js';

/**
 * External selects the app answers with options (Bolt's `app.options`), as `block_id.action_id`: the request modal's
 * account menu becomes one once more than 100 accounts are registered (Slack's limit for a static select). Slack
 * asks the options-load URL for them, so the HTTP-mode manifest carries it.
 */
export const EXTERNAL_SELECT_ACTION_IDS: readonly string[] = [`${REQUEST_BLOCKS.account}.value`];

export interface ManifestOptions {
  /**
   * The one URL Slack sends slash commands, events and interactivity to (the Lambda Function URL, or the HTTP
   * receiver's `https://…/slack/events`). @default none: Socket Mode
   */
  requestUrl?: string;
  /** Adds the options-load URL (the request URL). @default EXTERNAL_SELECT_ACTION_IDS.length > 0 */
  externalSelects?: boolean;
}

export interface SlackManifest {
  _metadata: { major_version: 1; minor_version: 1 };
  display_information: { name: string; description: string; background_color: string; long_description: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{
      command: string;
      url?: string;
      description: string;
      usage_hint: string;
      should_escape: boolean;
    }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const LONG_DESCRIPTION =
  'Paste an Amazon Bedrock AccessDeniedException (or any Bedrock access error) and Bedrock Access Doctor tells you ' +
  'the cause in plain words, the facts the error reveals, and the safe fix, with the exact policy or command. Use ' +
  '/bedrock why <error>, send it a direct message, or mention it with the error in a channel. /bedrock status ' +
  '<model> [region] checks live whether a model is activated, pending, blocked, legacy or not offered in a region. ' +
  'When a third-party model needs its one-time AWS Marketplace activation, /bedrock request sends it to an approver ' +
  "channel; an approver presses Approve and the bot's admin role activates the model, showing each step in the " +
  'channel and telling everyone who asked.';

export function slackManifest(options: ManifestOptions = {}): SlackManifest {
  const url = options.requestUrl;
  const optionsLoad = options.externalSelects ?? EXTERNAL_SELECT_ACTION_IDS.length > 0;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Bedrock Access Doctor',
      description: 'Explains Amazon Bedrock access errors, checks model status and helps get models activated.',
      background_color: '#232f3e',
      long_description: LONG_DESCRIPTION,
    },
    features: {
      // DMs to the bot are how people paste errors privately.
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: 'bedrock-doctor', always_online: true },
      slash_commands: [
        {
          command: COMMAND.bedrock,
          ...(url ? { url } : {}),
          description: 'Explain a Bedrock access error, check a model, or request its activation',
          usage_hint: 'why <pasted error> | status <model> [region] | request <model> [region] | requests | help',
          // Raw text: pasted errors reach the bot as typed (no <@U…>/<#C…> rewriting); everything is escaped on display.
          should_escape: false,
        },
      ],
    },
    oauth_config: {
      scopes: {
        // commands: /bedrock. chat:write: threaded replies, the approval card (postMessage, update) and DMs to
        // requesters. app_mentions:read and im:history: the two events below (no im:write: the bot only answers DMs
        // people open). usergroups:read: approvers given as a user group, read at each click.
        bot: ['commands', 'chat:write', 'app_mentions:read', 'im:history', 'usergroups:read'],
      },
    },
    settings: {
      event_subscriptions: { ...(url ? { request_url: url } : {}), bot_events: ['app_mention', 'message.im'] },
      interactivity: {
        is_enabled: true,
        ...(url ? { request_url: url } : {}),
        ...(url && optionsLoad ? { message_menu_options_url: url } : {}),
      },
      org_deploy_enabled: false,
      socket_mode_enabled: !url,
      token_rotation_enabled: false,
    },
  };
}

/** Why a request URL cannot be Slack's: Slack calls only public HTTPS URLs. Undefined when it can. */
export function requestUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'Slack sends requests only to https:// URLs';
  if (url.username || url.password) return 'a request URL must not carry a user name or password';
  if (text.length > 3000) return 'longer than the 3000 characters Slack accepts';
  return undefined;
}
