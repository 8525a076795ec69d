// escapeMrkdwn skips text it has nothing to do for after one scan; this holds it to the plain composition (reveal
// every invisible character, then escape markup) for every code point, alone and beside markup.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revealInvisibles } from '../../../src/diagnosis/invisible-chars.js';
import { escapeMrkdwn, inlineCode } from '../../../src/slack/blocks/mrkdwn.js';

const plainEscape = (text: string) =>
  revealInvisibles(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('escapeMrkdwn', () => {
  it('reveals every invisible character and escapes markup, for every code point', () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      for (const text of [`a${ch}b`, `<${ch}&`])
        if (escapeMrkdwn(text) !== plainEscape(text)) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('agrees with the plain composition on any text', () => {
    const alphabet = fc.constantFrom(
      'a',
      ' ',
      '&',
      '<',
      '>',
      '—',
      '…',
      'é',
      '\u202E',
      '\u200B',
      '\uFEFF',
      '\u{E0041}',
      '\u{1F600}',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(escapeMrkdwn(text)).toBe(plainEscape(text));
      }),
    );
  });

  it('reveals invisibles inside inline code too', () => {
    expect(inlineCode('anthropic.claude\u202E-v2')).toBe('`anthropic.claude&lt;U+202E&gt;-v2`');
    expect(inlineCode('plain-model-id:0')).toBe('`plain-model-id:0`');
  });
});
