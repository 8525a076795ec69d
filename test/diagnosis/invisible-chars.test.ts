import { describe, expect, it } from 'vitest';
import { dropInvisibles, escapeInvisiblesInJson, revealInvisibles } from '../../src/diagnosis/invisible-chars.js';
import { flattenText } from '../../src/diagnosis/normalize-text.js';

describe('invisible format characters', () => {
  it('treats exactly the Unicode Cf characters (and the Hangul fillers) as invisible', () => {
    const fillers = new Set([0x115f, 0x1160, 0x3164, 0xffa0]);
    const wrong: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      const expected = /\p{Cf}/u.test(ch) || fillers.has(code);
      if ((dropInvisibles(`a${ch}b`) === 'ab') !== expected) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('leaves none of them in the text the engine reads', () => {
    const kept: string[] = [];
    for (let code = 0x80; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      if (/\p{Cf}/u.test(ch) && flattenText(`a${ch}b`) !== 'ab') kept.push(code.toString(16));
    }
    expect(kept).toEqual([]);
  });

  it('writes them out as <U+XXXX>, or as \\u escapes inside JSON, and leaves other text alone', () => {
    expect(revealInvisibles('a\u202Eb\u2066c\u200Bd\u{E0041}e — “x” é 東')).toBe(
      'a<U+202E>b<U+2066>c<U+200B>d<U+E0041>e — “x” é 東',
    );
    const json = escapeInvisiblesInJson(JSON.stringify({ s: 'a\u202Eb\u{E0041}' }));
    expect(json).toBe('{"s":"a\\u202eb\\udb40\\udc41"}');
    expect(JSON.parse(json).s).toBe('a\u202Eb\u{E0041}');
  });
});
