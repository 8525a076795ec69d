// The diagnosis engine's entry point: pasted text in, a complete Diagnosis out. Pure, synchronous, never throws.
import { classify } from './classify.js';
import { extractFacts } from './extract-facts.js';
import { normalizeText } from './normalize-text.js';
import { viewOf } from './phrase-index.js';
import { remediate } from './remediation.js';
import type { Diagnosis } from './types.js';

export function diagnose(text: string): Diagnosis {
  let truncated = false;
  try {
    const normalizedText = normalizeText(text);
    const normalized = normalizedText.text;
    truncated = normalizedText.truncated;
    const view = viewOf(normalized);
    const { facts, clues } = extractFacts(view);
    const classification = classify(view, facts, clues);
    const diagnosis: Diagnosis = { ...classification, ...remediate(classification, facts, clues), facts };
    if (truncated) diagnosis.truncated = true;
    return diagnosis;
  } catch {
    // Last line of defence: a bug in a rule must not take down a Slack reply or a batch run.
    const fallback: Diagnosis = {
      category: 'unknown',
      cause: 'unknown.internal_error',
      title: 'Could not analyse this text',
      explanation: 'The diagnosis engine failed on this input. The error text itself is still the best clue.',
      facts: {},
      steps: [{ title: 'Paste the complete error, including the exception name and the failing operation' }],
      notes: [],
      activationCanHelp: false,
    };
    if (truncated) fallback.truncated = true;
    return fallback;
  }
}
