import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { normalizeText } from '../../src/diagnosis/normalize-text.js';

interface CorpusEntry {
  id: string;
  text: string;
  category: string;
  accept: string[];
  facts: Record<string, unknown>;
}

const corpusPath = fileURLToPath(new URL('../fixtures/errors-dev.jsonl', import.meta.url));
const corpus: CorpusEntry[] = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusEntry);

// Annotated facts that the text states literally (some annotations came from the thread, not the message).
function literal(entry: CorpusEntry, key: string): string | undefined {
  const value = entry.facts[key];
  if (typeof value !== 'string' || value === '') return undefined;
  return normalizeText(entry.text).text.includes(value) ? value : undefined;
}

describe('errors-dev corpus', () => {
  it('holds the 44 development messages', () => {
    expect(corpus).toHaveLength(44);
  });

  it('diagnoses every message with its expected category (no accept-only answers)', () => {
    const wrong = corpus
      .map((entry) => ({ id: entry.id, expected: entry.category, got: diagnose(entry.text).category }))
      .filter((r) => r.got !== r.expected);
    expect(wrong).toEqual([]);
  });

  describe.each(corpus.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const diagnosis = diagnose(entry.text);

    it('gets the category right', () => {
      expect([entry.category, ...entry.accept]).toContain(diagnosis.category);
      expect(diagnosis.cause.startsWith(`${diagnosis.category}.`)).toBe(true);
    });

    it('extracts the literal facts', () => {
      const facts = diagnosis.facts;
      const checks: [string, unknown][] = [
        ['model_id', facts.modelId],
        ['region', facts.region],
        ['operation', facts.operation],
        ['principal_arn', facts.principalArn],
        ['account_id', facts.accountId],
        ['exception', facts.exception],
        ['resource', facts.resource],
        ['request_id', facts.requestId],
        ['policy_arn', facts.policyArn],
        ['deny_policy_type', facts.deniedBy],
      ];
      for (const [key, got] of checks) {
        const want = literal(entry, key);
        if (want !== undefined) expect(got, key).toBe(want);
      }
      const actions = [entry.facts.action, ...((entry.facts.missing_actions as string[] | undefined) ?? [])].filter(
        (a): a is string => typeof a === 'string',
      );
      for (const action of actions) expect(facts.actions ?? [], action).toContain(action);
      for (const key of ['http_status', 'retry_after_minutes', 'inactivity_days'] as const) {
        const want = entry.facts[key];
        if (typeof want === 'number' && entry.text.includes(String(want))) {
          const got = {
            http_status: facts.httpStatus,
            retry_after_minutes: facts.retryAfterMinutes,
            inactivity_days: facts.inactivityDays,
          }[key];
          expect(got, key).toBe(want);
        }
      }
    });

    it('never reports a placeholder as the account id', () => {
      if (facts(entry).accountId !== undefined) expect(facts(entry).accountId).toMatch(/^\d{12}$/);
    });

    it('gives a title, an explanation and at least one step', () => {
      expect(diagnosis.title.length).toBeGreaterThan(10);
      expect(diagnosis.explanation.length).toBeGreaterThan(40);
      expect(diagnosis.steps.length).toBeGreaterThan(0);
    });
  });
});

function facts(entry: CorpusEntry) {
  return diagnose(entry.text).facts;
}
