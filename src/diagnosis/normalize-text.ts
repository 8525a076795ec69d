// Undoes what chat clients, terminals and JSON encoders do to a pasted error, so the extractors see one flat line.
// Every step is one linear regex pass guarded by a cheap presence check: a 40 KB paste must stay well under 1 ms.
import { dropInvisibles, mayHoldRareInvisibles } from './invisible-chars.js';

/** The engine reads at most this many characters (256 KiB); the rest is dropped and reported as truncated. */
export const MAX_INPUT_CHARS = 256 * 1024;

export interface ClampedInput {
  text: string;
  truncated: boolean;
}

/** Any value as a string of at most MAX_INPUT_CHARS characters, and whether some were dropped. */
export function clampInput(input: unknown): ClampedInput {
  const text = typeof input === 'string' ? input : String(input ?? '');
  return text.length > MAX_INPUT_CHARS
    ? { text: text.slice(0, MAX_INPUT_CHARS), truncated: true }
    : { text, truncated: false };
}

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&apos;': "'",
  '&#39;': "'",
  '&#x27;': "'",
  '&#34;': '"',
  '&nbsp;': ' ',
};
const ENTITY_RE = /&(?:lt|gt|amp|quot|apos|nbsp|#39|#x27|#34);/g;

// JSON string escapes (a message copied out of a JSON body or a log line that JSON-encoded it).
const JSON_ESCAPE_RE = /\\(?:u([0-9a-fA-F]{4})|(["\\/'])|[nrtbf])/g;

// Slack wraps links as <https://host/path|label> or <https://host/path>; keep the URL.
const SLACK_LINK_RE = /<(https?:\/\/[^\s|<>]{1,2048})(?:\|[^<>]{0,512})?>/g;

// One pass for single characters: smart quotes become ASCII quotes, C0/C1 control characters (binary junk) become
// spaces, and the invisible format characters people meet vanish: zero-width characters and soft hyphens split words
// invisibly, bidi controls (U+200E/F, U+202A-202E, U+2066-2069) only change how text is displayed (issue 9). The
// rarer ones (U+061C, astral tags, …) are left to `dropInvisibles`, checked for with `includes`: adding the Arabic
// block to this class makes it ~10x slower on Cyrillic or CJK text.
const ODD_CHAR_RE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AB\u00AD\u00BB\u02BC\u200B-\u200F\u2018-\u201F\u202A-\u202E\u2032\u2033\u2060-\u2064\u2066-\u206F\uFEFF]/g;
function replaceOddChar(c: string): string {
  switch (c) {
    case '\u00AD':
    case '\u200B':
    case '\u200C':
    case '\u200D':
    case '\u2060':
    case '\uFEFF':
      return '';
    case '\u2018':
    case '\u2019':
    case '\u201A':
    case '\u201B':
    case '\u2032':
    case '\u02BC':
      return "'";
    case '\u201C':
    case '\u201D':
    case '\u201E':
    case '\u201F':
    case '\u2033':
    case '\u00AB':
    case '\u00BB':
      return '"';
    default:
      // C0/C1 controls keep a word boundary; the invisible format characters listed above leave nothing.
      return c.charCodeAt(0) <= 0x9f ? ' ' : '';
  }
}
// Slack / Markdown block quotes at the start of a line.
const QUOTE_MARKER_RE = /\n[ \t]*>+[ \t]?/g;
const LEADING_QUOTE_RE = /^[ \t]*>+[ \t]?/;
const BACKTICKS_RE = /`+/g;
const BOLD_RE = /\*\*+/g;
const PERCENT_RE = /%(?:3[aA]|2[fF])/g;
// Only runs and non-space whitespace: replacing every single space would copy the whole text for nothing.
const WHITESPACE_RE = /\s{2,}|[\t\n\v\f\r\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/g;

/** Drops Markdown bold markers, but keeps `**` standing for a redacted ARN field (`arn:aws:sts::**:assumed-role/…`). */
function unbold(stars: string, at: number, text: string): string {
  return text[at - 1] === ':' && text[at + stars.length] === ':' ? stars : '';
}

function decodeJsonEscape(_m: string, hex: string | undefined, literal: string | undefined): string {
  if (hex) {
    const code = Number.parseInt(hex, 16);
    // A lone surrogate or a control char would only add noise; a space keeps word boundaries.
    return code < 0x20 || (code >= 0xd800 && code <= 0xdfff) ? ' ' : String.fromCharCode(code);
  }
  return literal ?? ' ';
}

export interface NormalizedText {
  text: string;
  truncated: boolean;
}

/** `flattenText` of the clamped input, with the truncation flag. */
export function normalizeText(input: string): NormalizedText {
  const { text, truncated } = clampInput(input);
  return { text: flattenText(text), truncated };
}

/**
 * Returns the text flattened to single-spaced plain ASCII-ish punctuation: HTML entities, Slack links, smart
 * quotes, Markdown code/bold markers, JSON escapes, invisible and control characters and line breaks undone.
 * URL-encoded `:` and `/` are decoded so model ids in request paths read as written in code.
 */
export function flattenText(input: string): string {
  let text = input;
  if (text.includes('&')) text = text.replace(ENTITY_RE, (m) => ENTITIES[m] ?? m);
  if (text.includes('<http')) text = text.replace(SLACK_LINK_RE, '$1');
  if (text.includes('\\')) {
    text = text.replace(JSON_ESCAPE_RE, decodeJsonEscape);
    // Doubly encoded JSON (a JSON body logged inside another JSON string) needs a second pass.
    if (text.includes('\\')) text = text.replace(JSON_ESCAPE_RE, decodeJsonEscape);
  }
  text = text.replace(ODD_CHAR_RE, replaceOddChar);
  if (mayHoldRareInvisibles(text)) text = dropInvisibles(text);
  if (text.includes('>')) text = text.replace(LEADING_QUOTE_RE, '').replace(QUOTE_MARKER_RE, '\n');
  if (text.includes('`')) text = text.replace(BACKTICKS_RE, ' ');
  if (text.includes('**')) text = text.replace(BOLD_RE, unbold);
  if (text.includes('%')) text = text.replace(PERCENT_RE, (m) => (m[2] === 'A' || m[2] === 'a' ? ':' : '/'));
  return text.replace(WHITESPACE_RE, ' ').trim();
}
