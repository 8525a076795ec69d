// Long pastes are read around their error reports; these tests hold that reading to the whole-text answer.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { FOCUS_MIN_CHARS, focusText } from '../../src/diagnosis/focus-text.js';

const corpusPath = fileURLToPath(new URL('../fixtures/errors-dev.jsonl', import.meta.url));
const corpus = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { id: string; text: string });

/** Log noise as real pastes carry it: Node frames, Python frames, timestamped log lines, unrelated errors. */
const NOISE_STYLES: Record<string, (i: number) => string> = {
  node: (i) => `    at handler (/var/task/node_modules/app/dist/worker.js:${100 + i}:17)\n`,
  python: (i) =>
    `  File "/app/.venv/lib/python3.12/site-packages/langchain_core/runnables/base.py", line ${1000 + i}, in invoke\n    return self._call_with_config(func, input)\n`,
  log: (i) =>
    `2026-11-26T10:${String(i % 60).padStart(2, '0')}:00.123Z INFO  [worker-${i % 4}] processed batch ${i} in ${i % 97} ms (cache hits ${i * 3})\n`,
  // Unrelated error lines far from the Bedrock one: each becomes a window of its own.
  'log with unrelated errors': (i) =>
    i % 150 === 0
      ? `2026-11-26T10:00:00Z ERROR cache miss for key session-${i}, falling back to the database\n`
      : `2026-11-26T10:00:00Z DEBUG request ${i} served in ${i % 13} ms\n`,
};

function noise(style: (i: number) => string, chars: number, offset: number): string {
  let out = '';
  for (let i = offset; out.length < chars; i++) out += style(i);
  return out;
}

function paste(message: string, style: (i: number) => string, at: 'start' | 'middle' | 'end'): string {
  const before = at === 'start' ? '' : noise(style, at === 'middle' ? 20_000 : 40_000, 0);
  const after = at === 'end' ? '' : noise(style, at === 'middle' ? 20_000 : 40_000, 5_000);
  return `${before}${message}\n${after}`;
}

describe('focusText', () => {
  it('leaves short texts to be analysed whole', () => {
    // Prepare
    const text = `AccessDeniedException: denied ${'x'.repeat(FOCUS_MIN_CHARS - 40)}`;

    // Act / Assess
    expect(focusText(text)).toBeUndefined();
  });

  it('leaves a long text without any error report to be analysed whole', () => {
    expect(focusText(noise(NOISE_STYLES.log as (i: number) => string, 40_000, 0))).toBeUndefined();
  });

  it('keeps the neighbourhood of the error and drops the rest, cutting only between tokens', () => {
    // Prepare
    const message =
      'botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the InvokeModel operation: You don’t have access to the model with the specified model ID.';
    const text = paste(message, NOISE_STYLES.python as (i: number) => string, 'middle');

    // Act
    const focused = focusText(text);

    // Assess
    expect(focused).toBeDefined();
    expect(focused?.length).toBeLessThan(text.length / 4);
    expect(focused).toContain(message);
    for (const window of focused?.split('\n') ?? []) expect(text).toContain(window);
    expect(focused?.startsWith('  File') || /^\S/.test(focused ?? '')).toBe(true);
  });

  it('analyses error-dense texts whole instead of windowing every line', () => {
    // Prepare: a Java trace names an Exception on nearly every line.
    const text = noise((i) => `\tat com.example.ServiceException$Handler.handle(Handler.java:${i})\n`, 40_000, 0);

    // Act / Assess
    expect(focusText(text)).toBeUndefined();
  });
});

describe('diagnose on long pastes', () => {
  const styles = Object.entries(NOISE_STYLES);
  for (const [styleName, style] of styles) {
    for (const at of ['start', 'middle', 'end'] as const) {
      it(`gives the whole-text answer for every corpus message in ${styleName} noise (${at})`, () => {
        let windowed = 0;
        const differing = corpus
          .map((entry) => {
            // Prepare
            const text = paste(entry.text, style, at);
            if (focusText(text) !== undefined) windowed++;

            // Act
            const focused = diagnose(text);
            const whole = diagnose(text, { focus: false });
            return { id: entry.id, same: JSON.stringify(focused) === JSON.stringify(whole), focused, whole };
          })
          .filter((r) => !r.same);

        // Assess: nearly every message is read through windows (one names no error word and is read whole).
        expect(windowed).toBeGreaterThanOrEqual(corpus.length - 2);
        expect(differing.map((r) => ({ id: r.id, focused: r.focused, whole: r.whole }))).toEqual([]);
      });
    }
  }

  it('still reports the model and region that the log states far from the error', () => {
    // Prepare: the client config and the request are logged 20 KB before the error, which names neither.
    const config =
      'INFO bedrock client ready: region_name="eu-central-1"\nINFO invoking model_id="mistral.mistral-large-2402-v1:0"\n';
    const error =
      'botocore.errorfactory.ThrottlingException: An error occurred (ThrottlingException) when calling the InvokeModel operation (reached max retries: 4): Too many requests, please wait before trying again.';
    const text = `${config}${noise(NOISE_STYLES.log as (i: number) => string, 20_000, 0)}${error}\n${noise(NOISE_STYLES.log as (i: number) => string, 20_000, 9_000)}`;

    // Act
    const diagnosis = diagnose(text);

    // Assess
    expect(diagnosis.category).toBe('throttling_or_quota');
    expect(diagnosis.facts).toMatchObject({
      exception: 'ThrottlingException',
      operation: 'InvokeModel',
      region: 'eu-central-1',
      modelId: 'mistral.mistral-large-2402-v1:0',
      provider: 'mistral',
    });
  });
});
