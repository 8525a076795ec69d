// Text safety for Block Kit. Slack treats `<…>` in mrkdwn as a control sequence (mentions, @channel, links), so all
// text that did not come from us passes through `escapeMrkdwn` before it reaches a block.
import type { PlainTextElement } from '@slack/types';
import { revealInvisibles } from '../../diagnosis/invisible-chars.js';

/**
 * Escapes the three characters Slack reads as markup, and writes invisible format characters out as `<U+202E>`
 * (issue 9: a bidi control in echoed text would reorder the card); everything else is shown as is.
 */
export function escapeMrkdwn(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  const visible = reveal(text);
  // Three replaces with fixed strings: V8's fast path, several times quicker than one replace with a callback.
  return MARKUP.test(visible) ? visible.replace(AMP, '&amp;').replace(LT, '&lt;').replace(GT, '&gt;') : visible;
}

/**
 * Markup, or a character `revealInvisibles` may rewrite (the invisible ones of invisible-chars.ts, astral ones by
 * their high surrogate). Text with neither (most of a card, dashes and ellipses included) is returned as it is after
 * one scan, instead of the ~25 scans `revealInvisibles` makes to rule invisibles out. Card texts are short, so the
 * wide class costs little here; a whole paste is never scanned with it.
 */
const NEEDS_WORK =
  /[&<>\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\uD804\uD80D\uD82F\uD834\uDB40]/;
/** NEEDS_WORK without the markup: whether `revealInvisibles` may have anything to do. */
const MAY_HOLD_INVISIBLES = new RegExp(NEEDS_WORK.source.replace('&<>', ''));
const MARKUP = /[&<>]/;
const AMP = /&/g;
const LT = /</g;
const GT = />/g;

/** `revealInvisibles`, after one scan that rules out most text (a dash or an ellipsis included). */
export function showInvisibles(text: string): string {
  return MAY_HOLD_INVISIBLES.test(text) ? revealInvisibles(text) : text;
}
const reveal = showInvisibles;

/** Shortens to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - marker.length))}${marker}`;
}

/**
 * Inline code for a short value (model id, ARN). Backticks inside would end the code span early,
 * so they are swapped for a look-alike; the value is escaped.
 */
export function inlineCode(value: string, max = 300): string {
  const visible = reveal(value);
  return `\`${escapeMrkdwn(truncate(visible.replace(/`/g, 'ˋ').replace(/\s+/g, ' '), max))}\``;
}

/** A fenced code block (policies, commands). Escaped inside too: Slack parses `<!channel>` even in code. */
export function codeBlock(content: string, max: number): string {
  const body = content.replace(/```/g, 'ˋˋˋ');
  const wrap = (inner: string) => `\`\`\`\n${inner}\n\`\`\``;
  const whole = wrap(escapeMrkdwn(body));
  if (whole.length <= max) return whole;
  const note = '\n… (shortened: `bedrock-doctor why` in a terminal shows all of it)';
  return wrap(`${truncateEscaped(body, Math.max(1, max - 8 - note.length))}${note}`);
}

/** Escapes, then shortens to `max` characters of escaped text without splitting an entity such as `&amp;`. */
export function truncateEscaped(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, Math.max(0, max - 1));
  // Entities are at most 5 characters (`&amp;`): an `&` near the end without its `;` was cut in half.
  const amp = cut.lastIndexOf('&', cut.length - 1);
  if (amp >= 0 && amp >= cut.length - 4 && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** Plain text cannot ping anyone; it only needs to fit, with invisible characters shown. */
export function plainText(text: string, max: number): PlainTextElement {
  return {
    type: 'plain_text',
    text: truncate(reveal(text).replace(/\s+/g, ' ').trim() || ' ', max),
    emoji: true,
  };
}

/**
 * Whitespace, and every character some renderer starts a new line at: JavaScript's `\s` has LF, CR, VT, FF, U+2028
 * and U+2029 but not NEL (U+0085) or the information separators U+001C–U+001E (Python's `splitlines` breaks there).
 */
const LINE_BREAKS = /[\s\u0085\u001C-\u001E]+/g;

/**
 * What a person typed (a request or reject reason), shown as Slack shows nothing of ours: plain text, with no emoji
 * codes turned into emoji, no bold, no links or mentions, and on one line, so it cannot pass for the bot's own lines.
 */
export function userText(text: string, max: number): PlainTextElement {
  const line = revealInvisibles(text).replace(LINE_BREAKS, ' ').trim();
  return { type: 'plain_text', text: truncate(line || ' ', max), emoji: false };
}
