// manifest.yml checked against Slack's own published manifest schema, and against what the code listens for.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND } from '../../src/slack/commands/index.js';
import { slackManifest } from '../../src/slack/manifest.js';

// Slack's own schema, vendored unchanged (see test/fixtures/README.md).
const SCHEMA = new URL('../fixtures/slack-manifest-schema/manifest.schema.1.0.0.json', import.meta.url);
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
  _metadata: { major_version: number };
  features: { slash_commands: Array<{ command: string; usage_hint?: string }>; app_home: Record<string, boolean> };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
};

describe('manifest.yml', () => {
  it('is a valid v1 Slack app manifest by Slack’s published schema', () => {
    // Prepare: the schema uses a non-standard "regex" keyword and a "uri" format; neither applies to our values.
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);

    // Act
    const valid = validate(manifest);

    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(manifest._metadata.major_version).toBe(1);
  });

  it('declares the command, events, interactivity and Socket Mode the app uses, with minimal scopes', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND.bedrock]);
    expect(manifest.features.slash_commands[0]?.usage_hint).toContain('status <model> [region]');
    expect(manifest.features.slash_commands[0]?.usage_hint).toContain('request <model> [region]');
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([
      'app_mentions:read',
      'chat:write',
      'commands',
      'im:history',
      'usergroups:read',
    ]);
  });

  it('is what `bedrock-doctor manifest` builds for Socket Mode (one source: src/slack/manifest.ts)', () => {
    // Read again: the test above sorts the parsed lists in place.
    expect(parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'))).toEqual(slackManifest());
  });

  it('is rejected by the schema when broken (the check can fail)', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
    const broken = { ...manifest, features: { ...manifest.features, slash_commands: [{ command: 'bedrock' }] } };
    expect(validate(broken)).toBe(false);
  });
});
