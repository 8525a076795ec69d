// The diagnosis engine's entry point: pasted text in, a complete Diagnosis out. Pure, synchronous, never throws.
import { classify } from './classify.js';
import { type Extraction, extractFacts } from './extract-facts.js';
import { focusText } from './focus-text.js';
import { type ScreenedText, screenLookalikes } from './lookalikes.js';
import { clampInput, flattenText } from './normalize-text.js';
import { viewOf } from './phrase-index.js';
import { remediate } from './remediation.js';
import type { Diagnosis } from './types.js';

export interface DiagnoseOptions {
  /**
   * Read a long paste around its error reports only (see focus-text.ts). Off, every character is analysed; tests
   * compare both ways.
   * @default true
   */
  focus?: boolean;
}

export function diagnose(text: string, options: DiagnoseOptions = {}): Diagnosis {
  let truncated = false;
  try {
    const input = clampInput(text);
    truncated = input.truncated;
    const focused = options.focus === false ? undefined : focusText(input.text);
    let screened = readable(focused ?? input.text);
    let view = viewOf(screened.text);
    let extraction = extractFacts(view);
    let classification = classify(view, extraction.facts, extraction.clues);
    if (focused !== undefined) {
      // The windows hold no recognisable error (the real one was phrased without an anchor word): read everything.
      if (classification.category === 'unknown') {
        screened = readable(input.text);
        view = viewOf(screened.text);
        extraction = extractFacts(view);
        classification = classify(view, extraction.facts, extraction.clues);
      } else if (!extraction.facts.modelId || !extraction.facts.region) {
        // The model and the region are often stated away from the error (a request log line, the client's
        // config): when the error's neighbourhood lacks them, the whole text still gets to name them.
        screened = readable(input.text);
        fillFromWholeText(extraction, extractFacts(viewOf(screened.text)));
      }
    }
    const { facts, clues } = extraction;
    const diagnosis: Diagnosis = { ...classification, ...remediate(classification, facts, clues), facts };
    if (truncated) diagnosis.truncated = true;
    if (screened.lookalikes.length > 0) diagnosis.lookalikes = screened.lookalikes;
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

/** Flattened text with look-alike identifiers blanked out: no fact may come from them (issue 9). */
function readable(text: string): ScreenedText {
  return screenLookalikes(flattenText(text));
}

/** Adds what the focused reading missed; what it found near the error stays (it is about this error). */
function fillFromWholeText(focused: Extraction, whole: Extraction): void {
  const { facts, clues } = focused;
  if (!facts.modelId && whole.facts.modelId) {
    facts.modelId = whole.facts.modelId;
    if (whole.facts.baseModelId) facts.baseModelId = whole.facts.baseModelId;
    if (whole.facts.provider) facts.provider = whole.facts.provider;
  }
  if (!facts.region && whole.facts.region) facts.region = whole.facts.region;
  if (!clues.endpointHost && whole.clues.endpointHost) clues.endpointHost = whole.clues.endpointHost;
  if (!clues.profileName && whole.clues.profileName) clues.profileName = whole.clues.profileName;
}
