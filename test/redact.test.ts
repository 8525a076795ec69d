// The one redaction: every shape of secret a person pastes or a payload carries, in plain, URL-encoded and
// JSON-escaped text, becomes `[redacted]`; what is not a secret (ARNs, model ids, hashes) is left alone.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { REDACTED, redactSecrets, redactValue } from '../src/redact.js';
import { withholdPayload } from '../src/slack/bolt-logger.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const TEMP_KEY_ID = 'ASIAQWERTYUIOPASDFGH';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEHYaCXVzLWVhc3QtMSJHMEUCIQDexampleSessionTokenValue0123456789abcdefABCDEF';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('redactSecrets', () => {
  it.each([
    ['an access key id', `my key is ${KEY_ID}.`, `my key is ${REDACTED}.`],
    ['a temporary key id', `id ${TEMP_KEY_ID}`, `id ${REDACTED}`],
    ['a key id after a URL-encoded "="', `text=key%3D${KEY_ID}%26x`, `text=key%3D${REDACTED}%26x`],
    ['a key id after a JSON-escaped newline', `"line\\n${KEY_ID}"`, `"line\\n${REDACTED}"`],
    [
      'a secret key after its INI label',
      `aws_secret_access_key = ${SECRET_KEY}`,
      `aws_secret_access_key = ${REDACTED}`,
    ],
    ['a secret key in JSON', `{"SecretAccessKey": "${SECRET_KEY}"}`, `{"SecretAccessKey": "${REDACTED}"}`],
    [
      'a secret key in escaped JSON',
      `{\\"SecretAccessKey\\":\\"${SECRET_KEY.replaceAll('/', '\\/')}\\"}`,
      `{\\"SecretAccessKey\\":\\"${REDACTED}\\"}`,
    ],
    ['a secret key by its shape alone', `pasted ${SECRET_KEY} here`, `pasted ${REDACTED} here`],
    ['a session token after its label', `AWS_SESSION_TOKEN=short-but-labelled`, `AWS_SESSION_TOKEN=${REDACTED}`],
    ['a session token by its shape', `token ${SESSION_TOKEN} end`, `token ${REDACTED} end`],
    [
      'a session token in XML',
      `<SessionToken>${SESSION_TOKEN}</SessionToken>`,
      `<SessionToken>${REDACTED}</SessionToken>`,
    ],
    ['a bot token', 'xoxb-1234-5678-abcdefABCDEF', REDACTED],
    ['an app-level token', 'use xapp-1-A0123-4567-abcdef', `use ${REDACTED}`],
    ['a refresh token', 'xoxe.xoxp-1-abcdefghij', REDACTED],
    ['a Slack signature', `X-Slack-Signature: ${SIGNATURE}`, `X-Slack-Signature: ${REDACTED}`],
    ['a URL-encoded Slack signature', 'sig=v0%3Da2114d57b48eac39b9ad189dd83162', `sig=${REDACTED}`],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', `Authorization: Bearer ${REDACTED}`],
    ['a password after a label', 'password: hunter2!, then', `password: ${REDACTED}, then`],
    ['a password in a query string', 'db?password=s3cr3t&x=1', `db?password=${REDACTED}&x=1`],
    [
      'a response URL, URL-encoded',
      'response_url=https%3A%2F%2Fhooks.slack.com%2Factions%2FT1%2F123%2Fabcdef',
      `response_url=https%3A%2F%2Fhooks.slack.com%2F${REDACTED}`,
    ],
  ])('redacts %s', (_kind, text, expected) => {
    const out = redactSecrets(text);

    expect(out.text).toBe(expected);
    expect(out.redacted).toBeGreaterThan(0);
  });

  it.each([
    'User: arn:aws:sts::123456789012:assumed-role/BedrockAccessDoctorAdmin/dana is not authorized',
    'anthropic.claude-3-5-sonnet-20240620-v1:0 AccessDeniedException',
    'commit 3f786850e387550fdab836ed7e6dc881de23001b',
    'offerToken: is a field name; nextToken too',
    'Please approve: our team needs Claude for the support bot.',
  ])('leaves alone %s', (text) => {
    expect(redactSecrets(text)).toEqual({ text, redacted: 0 });
  });

  it('counts every secret it replaced, and redacting again changes nothing', () => {
    const once = redactSecrets(`${KEY_ID} and aws_secret_access_key=${SECRET_KEY} and xoxb-1-2-abcdefgh`);

    expect(once.redacted).toBe(3);
    expect(redactSecrets(once.text)).toEqual({ text: once.text, redacted: 0 });
  });
});

describe('log lines', () => {
  it('hide secret-named fields and secret-shaped text, at any depth', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', write: (line) => lines.push(line) });

    log.debug(`event ${SIGNATURE}`, {
      headers: { 'x-slack-signature': SIGNATURE },
      nested: { text: `key=%3D${KEY_ID}`, response_url: 'https://hooks.slack.com/actions/T1/2/3' },
    });

    expect(lines).toHaveLength(1);
    for (const secret of [SIGNATURE.slice(3), KEY_ID, 'actions/T1/2/3']) expect(lines[0]).not.toContain(secret);
    expect(redactValue({ password: 'x' })).toEqual({ password: REDACTED });
  });

  it('keep what Bolt says but not the payload it dumps', () => {
    expect(withholdPayload('AWS event: {"body":"token=abc"}')).toBe('AWS event: [payload withheld]');
    expect(withholdPayload('{"type":"block_actions"}')).toBe('[payload withheld]');
    expect(withholdPayload('apiCall(chat.postMessage) start')).toBe('apiCall(chat.postMessage) start');
  });
});
