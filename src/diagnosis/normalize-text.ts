// Undoes what chat clients, terminals and JSON encoders do to a pasted error, so the extractors see one flat line.
// Every step is one linear regex pass guarded by a cheap presence check: a 40 KB paste must stay well under 1 ms.

/** The engine reads at most this many characters (256 KiB); the rest is dropped and reported as truncated. */
export const MAX_INPUT_CHARS = 256 * 1024;

export interface NormalizedText {
  text: string;
  truncated: boolean;
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

// Zero-width and soft-hyphen characters split words invisibly; removing them rejoins the word.
const INVISIBLE_RE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
// C0 controls except tab/newline/CR, DEL, and the C1 range: binary junk becomes a space.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const SINGLE_QUOTES_RE = /[\u2018\u2019\u201A\u201B\u2032\u02BC]/g;
const DOUBLE_QUOTES_RE = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
// Slack / Markdown block quotes at the start of a line.
const QUOTE_MARKER_RE = /(^|\n)[ \t]*>+[ \t]?/g;
const BACKTICKS_RE = /`+/g;
const BOLD_RE = /\*\*+/g;
const PERCENT_RE = /%(?:3[aA]|2[fF])/g;
const WHITESPACE_RE = /\s+/g;

function decodeJsonEscape(_m: string, hex: string | undefined, literal: string | undefined): string {
  if (hex) {
    const code = Number.parseInt(hex, 16);
    // A lone surrogate or a control char would only add noise; a space keeps word boundaries.
    return code < 0x20 || (code >= 0xd800 && code <= 0xdfff) ? ' ' : String.fromCharCode(code);
  }
  return literal ?? ' ';
}

/**
 * Returns the text flattened to single-spaced plain ASCII-ish punctuation: HTML entities, Slack links, smart
 * quotes, Markdown code/bold markers, JSON escapes, invisible and control characters and line breaks undone.
 * URL-encoded `:` and `/` are decoded so model ids in request paths read as written in code.
 */
export function normalizeText(input: string): NormalizedText {
  let text = typeof input === 'string' ? input : String(input ?? '');
  const truncated = text.length > MAX_INPUT_CHARS;
  if (truncated) text = text.slice(0, MAX_INPUT_CHARS);

  if (text.includes('&')) text = text.replace(ENTITY_RE, (m) => ENTITIES[m] ?? m);
  if (text.includes('<http')) text = text.replace(SLACK_LINK_RE, '$1');
  if (text.includes('\\')) {
    text = text.replace(JSON_ESCAPE_RE, decodeJsonEscape);
    // Doubly encoded JSON (a JSON body logged inside another JSON string) needs a second pass.
    if (text.includes('\\')) text = text.replace(JSON_ESCAPE_RE, decodeJsonEscape);
  }
  text = text.replace(INVISIBLE_RE, '').replace(CONTROL_RE, ' ');
  text = text.replace(SINGLE_QUOTES_RE, "'").replace(DOUBLE_QUOTES_RE, '"');
  if (text.includes('>')) text = text.replace(QUOTE_MARKER_RE, '$1');
  if (text.includes('`')) text = text.replace(BACKTICKS_RE, ' ');
  if (text.includes('**')) text = text.replace(BOLD_RE, '');
  if (text.includes('%')) text = text.replace(PERCENT_RE, (m) => (m[2] === 'A' || m[2] === 'a' ? ':' : '/'));
  text = text.replace(WHITESPACE_RE, ' ').trim();
  return { text, truncated };
}
