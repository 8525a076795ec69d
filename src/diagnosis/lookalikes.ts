// Text that only looks like an AWS identifier must not become one (issue 9): `аrn:aws:bedrock:…` with a Cyrillic
// `а`, `anthrοpic.…` with a Greek `ο`, an account id in fullwidth digits, `bedrock:InvokeМodel`. AWS identifiers are
// ASCII, so a token whose identifier part holds a character that merely resembles ASCII is untrusted: it is
// reported, and blanked out before any fact is read, so no model, region, account or button comes from it.
// Pure and cheap: an ASCII text costs one regex test; only tokens holding a `:` or `.` (or a look-alike digit) and
// a non-ASCII character are examined.
import { codePointLabel } from './invisible-chars.js';
import { allProviders, INFERENCE_PROFILE_PREFIXES } from './providers.js';
import type { LookalikeToken } from './types.js';

export interface ScreenedText {
  /** The text with every untrusted token replaced by a space. */
  text: string;
  lookalikes: LookalikeToken[];
}

const HAS_NON_ASCII = /[^\x00-\x7F]/;
const MAX_TOKENS = 8;
const MAX_TOKEN_CHARS = 2048;
const MAX_SHOWN = 160;

/**
 * Letters that are drawn like ASCII ones in ordinary fonts but are not decomposed by NFKD: Cyrillic, Greek,
 * Armenian, Cherokee and Latin extensions. Fullwidth forms, mathematical alphanumerics, letterlike symbols,
 * accented Latin and superscripts are handled by NFKD below; digits of other scripts by their digit value.
 */
// biome-ignore format: a lookup table reads best in rows, one script per line
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ӏ: 'l', һ: 'h', ԛ: 'q',
  ԝ: 'w', А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I',
  Ј: 'J', Ѕ: 'S', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Ӏ: 'I',
  // Greek
  α: 'a', ο: 'o', ν: 'v', ρ: 'p', ι: 'i', κ: 'k', υ: 'u', ϲ: 'c', ϳ: 'j', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H',
  Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ϲ: 'C',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', զ: 'q', Օ: 'O', Ս: 'U',
  // Cherokee (capitals that are Latin capitals in most fonts)
  Ꭺ: 'A', Ᏼ: 'B', Ꮯ: 'C', Ꭼ: 'E', Ꮋ: 'H', Ꭻ: 'J', Ꮶ: 'K', Ꮇ: 'M', Ꮲ: 'P', Ꮪ: 'S', Ꭲ: 'T', Ꮃ: 'W', Ꮓ: 'Z',
  // Latin letters outside ASCII that NFKD keeps (dotless i, script a and g, small capitals)
  ı: 'i', ȷ: 'j', ɑ: 'a', ɡ: 'g', ɩ: 'i', ʟ: 'L', ɴ: 'N', ʀ: 'R', ᴀ: 'A', ᴄ: 'C', ᴅ: 'D', ᴇ: 'E', ᴋ: 'K', ᴍ: 'M',
  ᴏ: 'O', ᴘ: 'P', ᴛ: 'T', ᴜ: 'U', ᴠ: 'V', ᴡ: 'W', ᴢ: 'Z', ƅ: 'b', ǀ: 'l',
};

const PROVIDER_ALT = allProviders()
  .map((p) => p.id)
  .sort((a, b) => b.length - a.length)
  .join('|');
const GEO_ALT = [...INFERENCE_PROFILE_PREFIXES].sort((a, b) => b.length - a.length).join('|');

/** What each identifier looks like once every character is read as the ASCII one it resembles. */
const IMITATIONS: Array<[LookalikeToken['imitates'], RegExp]> = [
  ['ARN', /arn:aws[a-z-]*:.*/gi],
  ['model id', new RegExp(`(?:(?:${GEO_ALT})\\.)?(?:${PROVIDER_ALT})\\.[a-z0-9][a-z0-9.:-]*[0-9-][a-z0-9.:-]*`, 'gi')],
  ['IAM action', /(?<![A-Za-z0-9-])[a-z][a-z0-9-]{1,39}:[A-Za-z*][A-Za-z0-9*]{1,100}/g],
  ['account id', /(?<![0-9])[0-9]{12}(?![0-9])/g],
];

/**
 * "`<U+0430>rn:aws:…` looks like an ARN but contains look-alike characters (U+0430); nothing was read from it."
 * `quote` formats the token for the surface (inline code in Slack); the rest needs no escaping.
 */
export function describeLookalike(l: LookalikeToken, quote: (shown: string) => string = (s) => s): string {
  const article = /^[aeiou]/i.test(l.imitates) ? 'an' : 'a';
  return (
    `${quote(l.shown)} looks like ${article} ${l.imitates} but contains look-alike characters ` +
    `(${l.characters.join(', ')}); nothing was read from it.`
  );
}

/** Finds tokens that imitate an ARN, model id, account id or IAM action, and blanks them out. */
export function screenLookalikes(text: string): ScreenedText {
  if (!HAS_NON_ASCII.test(text)) return { text, lookalikes: [] };
  const spans = candidateSpans(text);
  const lookalikes: LookalikeToken[] = [];
  const cuts: Array<[number, number]> = [];
  for (const [start, end] of spans) {
    const found = imitation(trimPunctuation(text.slice(start, end)));
    if (!found) continue;
    lookalikes.push(found);
    cuts.push([start, end]);
    if (lookalikes.length >= MAX_TOKENS) break;
  }
  if (cuts.length === 0) return { text, lookalikes };
  let out = '';
  let from = 0;
  for (const [start, end] of cuts) {
    out += `${text.slice(from, start)} `;
    from = end;
  }
  return { text: out + text.slice(from), lookalikes };
}

/**
 * Tokens worth a closer look, in text order: those holding a non-ASCII character and either a `:` or `.` between two
 * token characters (every ARN, model id and IAM action has one) or a digit of another script (an account id needs
 * neither). Found from those anchors (native `indexOf`, one small regex) rather than from every non-ASCII character:
 * visiting each word of a 40 KB page of Cyrillic or Japanese prose cost ~10x the whole diagnosis.
 */
function candidateSpans(text: string): Array<[number, number]> {
  const anchors: number[] = [];
  for (const mark of [':', '.']) {
    for (let i = text.indexOf(mark, 1); i > 0 && anchors.length < MAX_ANCHORS; i = text.indexOf(mark, i + 1)) {
      if (isTokenCharAt(text, i - 1) && isTokenCharAt(text, i + 1)) anchors.push(i);
    }
  }
  OTHER_DIGIT_RE.lastIndex = 0;
  for (let m = OTHER_DIGIT_RE.exec(text); m && anchors.length < MAX_ANCHORS * 2; m = OTHER_DIGIT_RE.exec(text)) {
    anchors.push(m.index);
  }
  anchors.sort((a, b) => a - b);
  const spans: Array<[number, number]> = [];
  let covered = -1;
  for (const at of anchors) {
    if (at < covered) continue;
    let start = at;
    let foreign = false;
    while (start > 0 && at - start < MAX_TOKEN_CHARS && isTokenCharAt(text, start - 1)) {
      start--;
      if (text.charCodeAt(start) >= 0x80) foreign = true;
    }
    let end = at;
    while (end < text.length && end - at < MAX_TOKEN_CHARS && isTokenCharAt(text, end)) {
      if (text.charCodeAt(end) >= 0x80) foreign = true;
      end++;
    }
    covered = Math.max(end, at + 1);
    if (foreign && end - start >= 4) spans.push([start, end]);
  }
  return spans;
}

const MAX_ANCHORS = 4096;
/**
 * Digits that pass for ASCII ones in an account id: Arabic-Indic, Extended Arabic-Indic, Devanagari, fullwidth, and
 * mathematical alphanumerics (by their high surrogate). Kept to these few ranges: a class over every script's digits
 * costs ~10x more per character in V8. Other scripts' digits are still read as digits inside a `:`/`.` token.
 */
const OTHER_DIGIT_RE = /[\u0660-\u0669\u06F0-\u06F9\u0966-\u096F\uFF10-\uFF19\uD835]/g;
/** A non-ASCII token character: a letter, mark or digit of any script (ASCII ones come from the table below). */
const TOKEN_CHAR_RE = /[\p{L}\p{M}\p{N}]/u;
const ASCII_TOKEN_CHARS = new Uint8Array(128);
for (const ch of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/*@+-') {
  ASCII_TOKEN_CHARS[ch.charCodeAt(0)] = 1;
}

function isTokenCharAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (Number.isNaN(code)) return false;
  if (code < 0x80) return ASCII_TOKEN_CHARS[code] === 1;
  // A surrogate half belongs to an astral character (a mathematical letter or digit): keep it in the token.
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return TOKEN_CHAR_RE.test(text.charAt(i));
}

function trimPunctuation(token: string): string {
  return token.replace(/^[.:,/*+-]+|[.:,/*+-]+$/g, '');
}

/** The identifier the token imitates, if a look-alike character sits inside the imitated part. */
function imitation(token: string): LookalikeToken | undefined {
  let skeleton = '';
  const origin: number[] = [];
  const suspicious = new Set<number>();
  let i = 0;
  for (const ch of token) {
    const latin = asciiOf(ch);
    if (latin !== ch) suspicious.add(i);
    for (let k = 0; k < latin.length; k++) origin.push(i);
    skeleton += latin;
    i += ch.length;
  }
  if (suspicious.size === 0) return undefined;
  for (const [imitates, re] of IMITATIONS) {
    re.lastIndex = 0;
    for (let m = re.exec(skeleton); m; m = re.exec(skeleton)) {
      const first = origin[m.index] ?? 0;
      const last = origin[m.index + m[0].length - 1] ?? first;
      for (const at of suspicious) {
        if (at >= first && at <= last)
          return { shown: shown(token, suspicious), imitates, characters: labels(token, suspicious) };
      }
    }
  }
  return undefined;
}

/** The ASCII text a character is drawn like, or the character itself when it resembles none. */
function asciiOf(ch: string): string {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return ch;
  const mapped = CONFUSABLES[ch];
  if (mapped) return mapped;
  const code = ch.codePointAt(0) ?? 0;
  if (mayDecomposeToAscii(code)) {
    const decomposed = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    if (decomposed && decomposed !== ch && !HAS_NON_ASCII.test(decomposed)) return decomposed;
  }
  const digit = digitValue(ch);
  return digit === undefined ? ch : String(digit);
}

/**
 * Blocks holding characters whose compatibility decomposition is ASCII (accented Latin, small capitals, letterlike
 * symbols, super- and subscripts, enclosed and fullwidth forms, ligatures, mathematical alphanumerics): NFKD is
 * only asked about these, so a page of CJK or Cyrillic text costs no normalisation.
 */
function mayDecomposeToAscii(code: number): boolean {
  return (
    code < 0x250 ||
    (code >= 0x1d00 && code <= 0x1eff) ||
    (code >= 0x2070 && code <= 0x24ff) ||
    (code >= 0xfb00 && code <= 0xfb06) ||
    (code >= 0xff00 && code <= 0xffef) ||
    (code >= 0x1d400 && code <= 0x1d7ff) ||
    (code >= 0x1f100 && code <= 0x1f1ff)
  );
}

/** 0-9 for a decimal digit of any script (Unicode lays each script's digits out as a run of ten, zero first). */
function digitValue(ch: string): number | undefined {
  if (!/\p{Nd}/u.test(ch)) return undefined;
  const code = ch.codePointAt(0) ?? 0;
  let zero = code;
  while (zero > 0 && code - zero < 60 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return (code - zero) % 10;
}

function shown(token: string, suspicious: Set<number>): string {
  let out = '';
  let i = 0;
  for (const ch of token) {
    out += suspicious.has(i) ? `<${codePointLabel(ch)}>` : ch;
    i += ch.length;
    if (out.length > MAX_SHOWN) return `${out.slice(0, MAX_SHOWN)}…`;
  }
  return out;
}

function labels(token: string, suspicious: Set<number>): string[] {
  const seen = new Set<string>();
  for (const at of suspicious) seen.add(codePointLabel(String.fromCodePoint(token.codePointAt(at) ?? 0)));
  return [...seen].slice(0, 8);
}
