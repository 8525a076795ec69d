// Signs request bodies exactly as Slack does (v0 HMAC-SHA256 over `v0:<timestamp>:<body>`).
import { createHmac } from 'node:crypto';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function signature(secret: string, timestamp: string | number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function sign(
  secret: string,
  body: string,
  contentType: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SignedRequest {
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature(secret, timestamp, body),
    },
  };
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export interface SlashCommandFields {
  text: string;
  command?: string;
  user_id?: string;
  team_id?: string;
  channel_id?: string;
  response_url: string;
  trigger_id?: string;
}

export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: fields.team_id ?? 'T0TEAM0001',
    team_domain: 'example',
    channel_id: fields.channel_id ?? 'C0CHAN0001',
    channel_name: 'general',
    user_id: fields.user_id ?? 'U0USER0001',
    user_name: 'dana',
    command: fields.command ?? '/bedrock',
    text: fields.text,
    api_app_id: 'A0APP00001',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? '1.2.3',
  }).toString();
}

export function signSlashCommand(secret: string, fields: SlashCommandFields, timestamp?: number): SignedRequest {
  return sign(secret, slashCommandBody(fields), FORM, timestamp);
}

/** Interactivity payloads arrive form-encoded as `payload=<json>`. */
export function signInteraction(secret: string, payload: unknown, timestamp?: number): SignedRequest {
  return sign(secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, timestamp);
}

export function signEvent(secret: string, envelope: unknown, timestamp?: number): SignedRequest {
  return sign(secret, JSON.stringify(envelope), JSON_TYPE, timestamp);
}

export interface EventFields {
  event: Record<string, unknown>;
  event_id?: string;
  team_id?: string;
}

let eventCounter = 0;

/** An Events API `event_callback` envelope around `event`. */
export function eventEnvelope({ event, event_id, team_id }: EventFields): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'legacy-verification-token',
    team_id: team_id ?? 'T0TEAM0001',
    api_app_id: 'A0APP00001',
    event,
    type: 'event_callback',
    event_id: event_id ?? `Ev0TEST${String(eventCounter).padStart(5, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: team_id ?? 'T0TEAM0001', user_id: 'U0BOT00001', is_bot: true }],
  };
}

/** A `block_actions` payload for a button press on a message that came with `responseUrl`. */
export function buttonPayload(actionId: string, value: string, responseUrl: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0TEAM0001', domain: 'example' },
    user: { id: 'U0USER0001', username: 'dana', team_id: 'T0TEAM0001' },
    api_app_id: 'A0APP00001',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0CHAN0001', is_ephemeral: true },
    trigger_id: '1.2.3',
    channel: { id: 'C0CHAN0001', name: 'general' },
    response_url: responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'button' },
        value,
        type: 'button',
        action_ts: '1700000001.000200',
      },
    ],
  };
}

export interface ClickerFields {
  userId?: string;
  teamId?: string;
  enterpriseId?: string;
  appId?: string;
  channelId?: string;
  messageTs?: string;
}

/** A `block_actions` payload for a press on a message in a channel, by a given user (Enterprise Grid optional). */
export function cardButtonPayload(
  actionId: string,
  value: string,
  responseUrl: string,
  who: ClickerFields = {},
): Record<string, unknown> {
  const teamId = who.teamId ?? 'T0TEAM0001';
  return {
    type: 'block_actions',
    team: { id: teamId, domain: 'example', ...(who.enterpriseId ? { enterprise_id: who.enterpriseId } : {}) },
    ...(who.enterpriseId ? { enterprise: { id: who.enterpriseId, name: 'Example Org' } } : {}),
    user: { id: who.userId ?? 'U0USER0001', username: 'someone', team_id: teamId },
    api_app_id: who.appId ?? 'A0APP00001',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: who.messageTs ?? '1700000000.000100',
      channel_id: who.channelId ?? 'C0APPROVE1',
    },
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    channel: { id: who.channelId ?? 'C0APPROVE1', name: 'approvals' },
    response_url: responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'button' },
        value,
        type: 'button',
        action_ts: '1700000001.000200',
      },
    ],
  };
}

/** A `view_submission` payload: `values` maps block id → the value typed or chosen (action id `value`). */
export function viewSubmissionPayload(
  callbackId: string,
  values: Record<string, string>,
  who: ClickerFields & { privateMetadata?: string; selects?: string[] } = {},
): Record<string, unknown> {
  const teamId = who.teamId ?? 'T0TEAM0001';
  const selects = new Set(who.selects ?? ['account', 'region']);
  const state = Object.fromEntries(
    Object.entries(values).map(([block, v]) => [
      block,
      {
        value: selects.has(block)
          ? { type: 'static_select', selected_option: { value: v, text: { type: 'plain_text', text: v } } }
          : { type: 'plain_text_input', value: v },
      },
    ]),
  );
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'example' },
    ...(who.enterpriseId ? { enterprise: { id: who.enterpriseId, name: 'Example Org' } } : {}),
    user: { id: who.userId ?? 'U0USER0001', username: 'someone', team_id: teamId },
    api_app_id: who.appId ?? 'A0APP00001',
    token: 'legacy-verification-token',
    trigger_id: '1.2.3',
    view: {
      id: 'V0VIEW0001',
      team_id: teamId,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: who.privateMetadata ?? '',
      state: { values: state },
      hash: '1.abc',
      title: { type: 'plain_text', text: 'x' },
      blocks: [],
    },
  };
}
