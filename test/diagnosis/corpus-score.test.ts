// The whole labelled corpus (the 44 development messages and the real messages gathered from public threads),
// scored as a user meets it: the category must be the label or one of its accepted answers for at least 97% of
// the messages, and every fact the text states must be extracted.
import { describe, expect, it } from 'vitest';
import { DEV_CORPUS, loadCorpus, REAL_CORPUS, scoreCorpus } from '../support/corpus/score.js';

const dev = loadCorpus(DEV_CORPUS);
const real = loadCorpus(REAL_CORPUS);
const score = scoreCorpus([...dev, ...real]);

describe('whole corpus score (dev + real)', () => {
  it('holds the dev corpus and at least 150 real messages, with unique ids', () => {
    expect(dev).toHaveLength(44);
    expect(real.length).toBeGreaterThanOrEqual(150);
    const ids = [...dev, ...real].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gets the category right for at least 97% of the messages', () => {
    const wrong = score.wrong.filter((w) => !w.categoryRight).map((w) => `${w.id}: ${w.expected} ≠ ${w.got}`);
    expect(score.categoryRate, wrong.join('\n')).toBeGreaterThanOrEqual(0.97);
  });

  it('extracts every fact the texts state (100%)', () => {
    const misses = score.wrong.flatMap((w) => w.factMisses.map((m) => ({ id: w.id, ...m })));
    expect(misses).toEqual([]);
    expect(score.factsChecked).toBeGreaterThan(400);
  });

  it('answers the real messages as well as the dev ones: no family left to unknown', () => {
    const realScore = scoreCorpus(real);
    expect(realScore.categoryRate).toBeGreaterThanOrEqual(0.97);
  });
});
