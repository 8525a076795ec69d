// Invisible format characters (Unicode category Cf: bidi controls such as U+202E, zero-width spaces and joiners,
// U+FEFF, tag characters) change how text is displayed without being seen. Everything the bot echoes shows them as
// `<U+202E>` (issue 9), so pasted text can neither hide characters nor reorder a card or a terminal line.

/** Every Cf character, plus the Hangul fillers, which are letters that render as nothing. */
const INVISIBLE_RE = /[\p{Cf}\u115F\u1160\u3164\uFFA0]/gu;
const NON_ASCII_RE = /[^\x00-\x7F]/;

/** `U+202E` for a code point. */
export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with each invisible format character written out as `<U+XXXX>`; other text unchanged. */
export function revealInvisibles(text: string): string {
  if (!NON_ASCII_RE.test(text)) return text;
  return text.replace(INVISIBLE_RE, (ch) => `<${codePointLabel(ch)}>`);
}

/** The text without invisible format characters (for reading; echoing uses `revealInvisibles`). */
export function dropInvisibles(text: string): string {
  if (!NON_ASCII_RE.test(text)) return text;
  return text.replace(INVISIBLE_RE, '');
}

/**
 * JSON text with invisible characters as `\uXXXX` escapes: the same value for a parser, but a terminal or a log
 * viewer shows the escape instead of obeying it.
 */
export function escapeInvisiblesInJson(json: string): string {
  if (!NON_ASCII_RE.test(json)) return json;
  return json.replace(INVISIBLE_RE, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
