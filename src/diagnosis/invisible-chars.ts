// Invisible format characters (Unicode category Cf: bidi controls such as U+202E, zero-width spaces and joiners,
// U+FEFF, tag characters) change how text is displayed without being seen. Everything the bot echoes shows them as
// `<U+202E>` (issue 9), so pasted text can neither hide characters nor reorder a card or a terminal line.

/**
 * Every Cf character (Unicode 15.1; test/diagnosis/invisible-chars.test.ts checks it against `\p{Cf}`), plus the
 * Hangul fillers, which are letters that render as nothing. Spelled out instead of `\p{Cf}` so the common case, a
 * text without any, is decided by the cheap scan in `mayHoldInvisibles`.
 */
const INVISIBLE_RE =
  /[\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]|\uD804[\uDCBD\uDCCD]|\uD80D[\uDC30-\uDC3F]|\uD82F[\uDCA0-\uDCA3]|\uD834[\uDD73-\uDD7A]|\uDB40[\uDC01\uDC20-\uDC7F]/g;

/** The invisible characters people meet (soft hyphen, zero-width, bidi controls, BOM): a cheap class to test. */
const COMMON_INVISIBLE_RE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/;
/**
 * The rest, found with `includes` (native, ~1 us per 40 KB each): a character class spanning the Arabic block costs
 * ~10x more on Cyrillic or CJK text in V8. Astral ones are found by their high surrogate.
 */
// biome-ignore format: a list of code points reads best in rows
const RARE_INVISIBLES = [
  '\u0600', '\u0601', '\u0602', '\u0603', '\u0604', '\u0605', '\u061C', '\u06DD', '\u070F', '\u0890', '\u0891',
  '\u08E2', '\u115F', '\u1160', '\u180E', '\u3164', '\uFFA0', '\uFFF9', '\uFFFA', '\uFFFB', '\uD804', '\uD80D',
  '\uD82F', '\uD834', '\uDB40',
];

/** Whether the text holds one of the rarely seen invisible characters (or a high surrogate shared with one). */
export function mayHoldRareInvisibles(text: string): boolean {
  return RARE_INVISIBLES.some((ch) => text.includes(ch));
}

function mayHoldInvisibles(text: string): boolean {
  return COMMON_INVISIBLE_RE.test(text) || mayHoldRareInvisibles(text);
}

/** `U+202E` for a code point. */
export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with each invisible format character written out as `<U+XXXX>`; other text unchanged. */
export function revealInvisibles(text: string): string {
  if (!mayHoldInvisibles(text)) return text;
  return text.replace(INVISIBLE_RE, (ch) => `<${codePointLabel(ch)}>`);
}

/** The text without invisible format characters (for reading; echoing uses `revealInvisibles`). */
export function dropInvisibles(text: string): string {
  if (!mayHoldInvisibles(text)) return text;
  return text.replace(INVISIBLE_RE, '');
}

/**
 * JSON text with invisible characters as `\uXXXX` escapes: the same value for a parser, but a terminal or a log
 * viewer shows the escape instead of obeying it.
 */
export function escapeInvisiblesInJson(json: string): string {
  if (!mayHoldInvisibles(json)) return json;
  return json.replace(INVISIBLE_RE, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
