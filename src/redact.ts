// The one place that knows what a secret looks like. Logs, stored reasons and echoed pastes all pass through it, so
// a shape learnt here is redacted everywhere. Pure: no I/O.

export const REDACTED = '[redacted]';

export interface Redacted {
  text: string;
  /** How many secrets were replaced (0: the text is unchanged). */
  redacted: number;
}

// A secret starts where a word starts, and also right after an escape: `%3DAKIA…` (URL-encoded `=`) or `\nAKIA…`
// (JSON-escaped newline) put a letter or digit before the key, which a plain `\b` would take for the same word.
const START = String.raw`(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2})|(?<=\\[nrtbf])|(?<=\\u[0-9A-Fa-f]{4}))`;
const END = '(?![A-Za-z0-9])';

// A label, then what separates it from its value in INI, env, JSON (plain or escaped), XML, headers and query strings.
const LABEL =
  '(?:secret[_-]?access[_-]?key|session[_-]?token|security[_-]?token|access[_-]?token|refresh[_-]?token|' +
  'auth[_-]?token|bot[_-]?token|app[_-]?token|client[_-]?secret|signing[_-]?secret|api[_-]?key|' +
  'password|passwd|pwd|(?<![A-Za-z])token)';
const QUOTE = String.raw`(?:\\*["']|%22|%27)`;
const ASSIGN = String.raw`(?:[:=>]|%3[AaDdEe]|\\u003[AaDdEe])`;
const SPACE = String.raw`(?:\s|%20|\+)*`;
const SEPARATOR = `${QUOTE}?${SPACE}${ASSIGN}${SPACE}${QUOTE}?${SPACE}`;
// A value runs to the next quote, space, separator or escape (an escaped `\/` inside a JSON string is kept).
const VALUE = String.raw`(?:\\\/|%(?!2[267Cc]|3[Bb]|0[AaDd])[0-9A-Fa-f]{2}|[^\s"'&,;<>\\%])+`;

// Each shape with a cheap test that any match must pass: the lookbehinds make the full patterns slow to scan, and
// almost every log line and paste holds no secret at all (the Slack ack path redacts on every answer).
const SHAPES: { hint: RegExp; shape: RegExp }[] = [
  // After a label: the value, whatever its shape (the label is kept so the reader knows what was there).
  { hint: /key|token|secret|passw|pwd/i, shape: new RegExp(`(?<label>${LABEL}${SEPARATOR})${VALUE}`, 'gi') },
  // `Authorization: Bearer …`, `Basic …`.
  {
    hint: /Bearer|Basic/,
    shape: new RegExp(String.raw`(?<label>\b(?:Bearer|Basic)(?:\s|%20|\+)+)[A-Za-z0-9._~+/=-]{8,}`, 'g'),
  },
  // AWS access key ids: long-term (AKIA) and temporary (ASIA).
  { hint: /A[KS]IA/, shape: new RegExp(`${START}(?:AKIA|ASIA)[A-Z0-9]{16}${END}`, 'g') },
  // STS session tokens: base64 of a protobuf-like blob whose first bytes are always the same.
  {
    hint: /FwoG|FQoG|IQo/,
    shape: new RegExp(`${START}(?:FwoGZXIvYXdz|FQoGZXIvYXdz|IQo[A-Za-z0-9]b3JpZ2lu)[A-Za-z0-9/+=%]{40,}`, 'g'),
  },
  // Slack tokens (bot, user, app-level, refresh, configuration) and signatures.
  { hint: /xox/, shape: new RegExp(`${START}xox[a-z](?:\\.xox[a-z])?-[A-Za-z0-9-]{6,}`, 'g') },
  { hint: /xapp-/, shape: new RegExp(`${START}xapp-[A-Za-z0-9-]{6,}`, 'g') },
  { hint: /v0(?:=|%3)/, shape: new RegExp(`${START}v0(?:=|%3[Dd])[0-9a-fA-F]{16,}`, 'g') },
  // Incoming-webhook and response URLs are credentials in themselves.
  { hint: /hooks\.slack/, shape: /(?<label>hooks\.slack(?:-gov)?\.com(?:\/|%2[Ff]|\\\/))[A-Za-z0-9/%._\\-]{8,}/g },
];

// A secret access key has no prefix: 40 characters of base64 mixing cases and digits, standing alone.
const SECRET_KEY_SHAPE = new RegExp(`${START}[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])`, 'g');
const SECRET_KEY_HINT = /[A-Za-z0-9/+]{40}/;
const looksRandom = (s: string) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && !/^\/|\/\//.test(s);

/** Replaces every secret in `text` by `[redacted]` and says how many there were. */
export function redactSecrets(text: string): Redacted {
  let redacted = 0;
  let out = text;
  for (const { hint, shape } of SHAPES) {
    if (!hint.test(out)) continue;
    out = out.replace(shape, (...args: unknown[]) => {
      // With named groups, the replacer's last argument is the groups object (otherwise the whole input).
      const groups = args.at(-1);
      const label = typeof groups === 'object' && groups ? ((groups as { label?: string }).label ?? '') : '';
      const whole = args[0] as string;
      if (whole.slice(label.length) === REDACTED) return whole;
      redacted += 1;
      return `${label}${REDACTED}`;
    });
  }
  if (!SECRET_KEY_HINT.test(out)) return { text: out, redacted };
  out = out.replace(SECRET_KEY_SHAPE, (key) => {
    if (!looksRandom(key)) return key;
    redacted += 1;
    return REDACTED;
  });
  return { text: out, redacted };
}

/** Field names whose values are secret whatever they look like. */
const SECRET_FIELD = /token|secret|signature|password|authorization|credential|cookie|response_?url/i;

/** A copy of `value` for a log line: secret-named fields and secret-shaped substrings replaced. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value).text;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactValue(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? REDACTED : redactValue(v, depth + 1);
  return out;
}
