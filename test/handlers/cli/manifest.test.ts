// `bedrock-doctor manifest` run in-process: the printed YAML is checked against Slack's published manifest schema and
// read for what Slack would do with it (where each kind of request goes, whether Socket Mode is on).
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../../handlers/cli.js';
import { requestModal } from '../../../src/slack/blocks/request-modal.js';
import { EXTERNAL_SELECT_ACTION_IDS, slackManifest } from '../../../src/slack/manifest.js';

const SCHEMA = new URL('../../fixtures/slack-manifest-schema/manifest.schema.1.0.0.json', import.meta.url);
const URL_OF_FUNCTION = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/';

function validator() {
  // The schema uses a non-standard "regex" keyword and a "uri" format; neither applies to our values.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
}

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  const err = new PassThrough().on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const code = await main(argv, { stdin: Readable.from([]), stdout: out, stderr: err, env: {} });
  return { code, stdout, stderr };
}

type Printed = ReturnType<typeof slackManifest>;

describe('bedrock-doctor manifest --request-url', () => {
  it('prints an HTTP-mode manifest valid by Slack’s schema, every request kind sent to the URL', async () => {
    const { code, stdout, stderr } = await run(['manifest', '--request-url', URL_OF_FUNCTION]);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = parse(stdout) as Printed;
    const validate = validator();
    expect(validate(printed)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(printed.settings.socket_mode_enabled).toBe(false);
    expect(printed.features.slash_commands.map((c) => [c.command, c.url])).toEqual([['/bedrock', URL_OF_FUNCTION]]);
    expect(printed.settings.event_subscriptions).toEqual({
      request_url: URL_OF_FUNCTION,
      bot_events: ['app_mention', 'message.im'],
    });
    expect(printed.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: URL_OF_FUNCTION,
      message_menu_options_url: URL_OF_FUNCTION,
    });
    expect(stdout.split('\n')[0]).toMatch(/^# .*HTTP mode/);
  });

  it('without a URL prints the Socket Mode manifest, the same as manifest.yml', async () => {
    const { code, stdout } = await run(['manifest']);

    expect(code).toBe(0);
    const printed = parse(stdout) as Printed;
    expect(printed).toEqual(parse(readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8')));
    expect(printed.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(printed)).not.toContain('request_url');
  });

  it.each([
    ['http://example.com/slack/events', 'only to https://'],
    ['not a url', 'not a URL'],
    ['https://user:pw@example.com/', 'user name or password'],
  ])('refuses %s as a request URL (exit 2, nothing on stdout)', async (url, message) => {
    const { code, stdout, stderr } = await run(['manifest', '--request-url', url]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('refuses an unknown flag with the usage', async () => {
    const { code, stderr } = await run(['manifest', '--url', URL_OF_FUNCTION]);

    expect(code).toBe(2);
    expect(stderr).toContain('Usage: bedrock-doctor manifest');
  });
});

describe('the options-load URL', () => {
  it('is the request URL in HTTP mode, because the account menu of over 100 accounts is an external select', () => {
    const accounts = Array.from({ length: 101 }, (_, i) => ({
      key: String(100000000000 + i),
      label: `team-${i}`,
      regions: ['us-east-1'],
    }));
    const modal = requestModal({ accounts });

    expect(JSON.stringify(modal)).toContain('external_select');
    expect(EXTERNAL_SELECT_ACTION_IDS).toEqual(['account.value']);
    expect(slackManifest({ requestUrl: URL_OF_FUNCTION }).settings.interactivity.message_menu_options_url).toBe(
      URL_OF_FUNCTION,
    );
    expect(slackManifest({}).settings.interactivity).not.toHaveProperty('message_menu_options_url');
  });

  it('is the request URL, valid by the schema, once the app answers external selects', () => {
    const manifest = slackManifest({ requestUrl: URL_OF_FUNCTION, externalSelects: true });

    expect(manifest.settings.interactivity.message_menu_options_url).toBe(URL_OF_FUNCTION);
    expect(validator()(manifest)).toBe(true);
  });
});
