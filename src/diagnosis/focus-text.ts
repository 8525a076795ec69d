// A long paste is mostly stack frames and log noise around one short AWS error. Rather than run every extractor over
// 40 KB, the engine reads the neighbourhood of the places where an error is reported. Finding those places costs a
// few `indexOf` calls (native, skipping), where a regex or a character loop over the whole text costs ~10x more.

/** Texts up to this length are analysed whole: below it, focusing would save less than it costs. */
export const FOCUS_MIN_CHARS = 8 * 1024;

/** Characters kept on each side of an anchor: an AWS error with its wrapper (JSON body, CLI line) fits well inside. */
const RADIUS = 1024;
/** How far a window edge may move to land between tokens, so no ARN or model id is cut in half. */
const SNAP = 160;
/** Past this many anchors the text is error-dense (a Java trace says Exception on every line): analyse it whole. */
const MAX_ANCHORS = 256;

/**
 * Substrings every wrapped AWS error carries: its exception or error type (`…Exception`, `…Error`, `"error":`,
 * `ERROR`, `errorCode`) and the denial, throttling and expiry wording (`denied`, `not authorized`, `Unauthorized`,
 * `Throttling`, `expired`). Each starts with a letter that is rare in logs (or leaves out a common first letter:
 * `xcepti` finds `Exception` and `exception`), because `indexOf` skips to candidate first letters natively: on a
 * 40 KB log, `rror` costs ~10 us where `error` costs ~30 us and a regex alternation ~60 us.
 */
const ANCHORS = ['xcepti', 'rror', 'RROR', 'denied', 'Denied', 'DENIED', 'horiz', 'HORIZ', 'hrottl', 'xpired'];

const isBoundary = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 34 || c === 44;

/**
 * The windows around every anchor, merged and joined by line breaks (which normalization turns into spaces, so no
 * token spans two windows). `undefined` means "analyse the whole text": it is short, names no anchor, or the windows
 * would cover most of it anyway.
 */
export function focusText(text: string): string | undefined {
  const length = text.length;
  if (length <= FOCUS_MIN_CHARS) return undefined;
  const hits: number[] = [];
  for (const anchor of ANCHORS) {
    for (let at = text.indexOf(anchor); at >= 0; at = text.indexOf(anchor, at + anchor.length)) {
      hits.push(at);
      if (hits.length > MAX_ANCHORS) return undefined;
    }
  }
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => a - b);

  const parts: string[] = [];
  let kept = 0;
  let start = -1;
  let end = -1;
  const flush = () => {
    const from = snapStart(text, start);
    const to = snapEnd(text, end);
    parts.push(text.slice(from, to));
    kept += to - from;
  };
  for (const at of hits) {
    const from = Math.max(0, at - RADIUS);
    const to = Math.min(length, at + RADIUS);
    if (start >= 0 && from <= end + 2 * SNAP) {
      end = Math.max(end, to);
      continue;
    }
    if (start >= 0) flush();
    start = from;
    end = to;
  }
  flush();
  return kept * 2 > length ? undefined : parts.join('\n');
}

function snapStart(text: string, from: number): number {
  for (let i = from, limit = Math.max(0, from - SNAP); i > limit; i--) {
    if (isBoundary(text.charCodeAt(i - 1))) return i;
  }
  return Math.max(0, from - SNAP);
}

function snapEnd(text: string, to: number): number {
  for (let i = to, limit = Math.min(text.length, to + SNAP); i < limit; i++) {
    if (isBoundary(text.charCodeAt(i))) return i;
  }
  return Math.min(text.length, to + SNAP);
}
