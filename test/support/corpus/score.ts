// Scores the diagnosis engine on a labelled corpus (errors-dev.jsonl, corpus/errors-real.jsonl): the category
// (the label or one of its `accept` answers) and every fact the text states literally. Shared by the corpus score
// test and `npm run bench:diagnose`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import { normalizeText } from '../../../src/diagnosis/normalize-text.js';
import type { Diagnosis, Facts } from '../../../src/diagnosis/types.js';

export interface CorpusEntry {
  id: string;
  text: string;
  source?: string;
  category: string;
  accept: string[];
  facts: Record<string, unknown>;
}

export const DEV_CORPUS = fileURLToPath(new URL('../../fixtures/errors-dev.jsonl', import.meta.url));
export const REAL_CORPUS = fileURLToPath(new URL('../../fixtures/corpus/errors-real.jsonl', import.meta.url));

export function loadCorpus(path: string): CorpusEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusEntry);
}

/** Corpus keys of string facts, with the Facts field each one is compared with. */
const STRING_FACTS: Array<[string, keyof Facts]> = [
  ['model_id', 'modelId'],
  ['region', 'region'],
  ['operation', 'operation'],
  ['principal_arn', 'principalArn'],
  ['account_id', 'accountId'],
  ['exception', 'exception'],
  ['resource', 'resource'],
  ['request_id', 'requestId'],
  ['policy_arn', 'policyArn'],
  ['deny_policy_type', 'deniedBy'],
];
const NUMBER_FACTS: Array<[string, keyof Facts]> = [
  ['http_status', 'httpStatus'],
  ['retry_after_minutes', 'retryAfterMinutes'],
  ['inactivity_days', 'inactivityDays'],
];

export interface FactCheck {
  key: string;
  want: unknown;
  got: unknown;
}

/** The annotated facts the text states literally, each with what the engine found. */
export function factChecks(entry: CorpusEntry, facts: Facts): FactCheck[] {
  const flat = normalizeText(entry.text).text;
  const checks: FactCheck[] = [];
  for (const [key, field] of STRING_FACTS) {
    const want = entry.facts[key];
    // Some annotations came from the thread, not the message: only what the text states is expected.
    if (typeof want === 'string' && want !== '' && flat.includes(want)) checks.push({ key, want, got: facts[field] });
  }
  const reason = entry.facts.deny_reason;
  if (typeof reason === 'string' && reason.startsWith('no ')) {
    // "no identity-based policy" (or "… allows"): the policy kind is what the engine reports.
    checks.push({ key: 'deny_reason', want: reason.slice(3).replace(/ allows$/, ''), got: facts.deniedBy });
  }
  for (const [key, field] of NUMBER_FACTS) {
    const want = entry.facts[key];
    if (typeof want === 'number' && entry.text.includes(String(want))) checks.push({ key, want, got: facts[field] });
  }
  const actions = [entry.facts.action, ...((entry.facts.missing_actions as unknown[] | undefined) ?? [])];
  for (const action of actions) {
    if (typeof action !== 'string') continue;
    const found = facts.actions?.includes(action) ? action : facts.actions;
    checks.push({ key: 'action', want: action, got: found });
  }
  return checks;
}

export interface EntryScore {
  id: string;
  expected: string;
  got: string;
  categoryRight: boolean;
  factMisses: FactCheck[];
  factsChecked: number;
}

export function scoreEntry(entry: CorpusEntry, diagnosis: Diagnosis = diagnose(entry.text)): EntryScore {
  const checks = factChecks(entry, diagnosis.facts);
  return {
    id: entry.id,
    expected: entry.category,
    got: diagnosis.category,
    categoryRight: diagnosis.category === entry.category || entry.accept.includes(diagnosis.category),
    factMisses: checks.filter((c) => c.got !== c.want),
    factsChecked: checks.length,
  };
}

export interface CorpusScore {
  messages: number;
  categoryRight: number;
  factsChecked: number;
  factsRight: number;
  /** Fractions in [0, 1]. */
  categoryRate: number;
  factsRate: number;
  wrong: EntryScore[];
}

export function scoreCorpus(entries: CorpusEntry[]): CorpusScore {
  const scores = entries.map((entry) => scoreEntry(entry));
  const categoryRight = scores.filter((s) => s.categoryRight).length;
  const factsChecked = scores.reduce((n, s) => n + s.factsChecked, 0);
  const factsRight = factsChecked - scores.reduce((n, s) => n + s.factMisses.length, 0);
  return {
    messages: entries.length,
    categoryRight,
    factsChecked,
    factsRight,
    categoryRate: entries.length ? categoryRight / entries.length : 0,
    factsRate: factsChecked ? factsRight / factsChecked : 1,
    wrong: scores.filter((s) => !s.categoryRight || s.factMisses.length > 0),
  };
}
