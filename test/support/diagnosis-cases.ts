// Cases for the diagnosis families: a text, what a user must see (category, finer cause), the facts the text states
// and words the answer must say. Shared by the envelope family tests.
import { expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Category, Diagnosis, Facts } from '../../src/diagnosis/types.js';

export interface Case {
  name: string;
  text: string;
  category: Category;
  cause?: string;
  facts?: Partial<Facts>;
  /** Words the user must read somewhere in the answer (title, explanation, steps or notes). */
  says?: RegExp[];
}

export const ROLE = 'arn:aws:sts::111122223333:assumed-role/app-role/session-7';
export const REQ = '7d3c1a52-9f0e-4b8e-8a61-5e2f0c1d7a19';

export function answerText(d: Diagnosis): string {
  return [
    d.title,
    d.explanation,
    ...d.steps.flatMap((s) => [s.title, s.detail ?? '', s.code?.content ?? '']),
    ...d.notes,
  ].join('\n');
}

/** One test per case: the category, the cause, the facts and the words of the answer. */
export function itDiagnoses(cases: Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = diagnose(c.text);
    expect(d.category).toBe(c.category);
    if (c.cause) expect(d.cause).toBe(c.cause);
    for (const [key, value] of Object.entries(c.facts ?? {})) {
      expect(d.facts[key as keyof Facts], key).toEqual(value);
    }
    const said = answerText(d);
    for (const re of c.says ?? []) expect(said).toMatch(re);
  });
}
