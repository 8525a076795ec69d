// BLOCKED_MODELS errors say what was expected in plain words (issue 9's "say what was expected"), naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problemsWith(blocked: string): string[] {
  try {
    loadConfig({ BLOCKED_MODELS: blocked });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('BLOCKED_MODELS', () => {
  it.each([
    ['an array', '["meta.llama2*"]', 'got an array'],
    ['a string', '"meta.llama2*"', 'got a string'],
    ['null', 'null', 'got null'],
  ])('names a JSON object of pattern → reason when given %s', (_what, value, got) => {
    const [problem, ...more] = problemsWith(value);
    expect(more).toEqual([]);
    expect(problem).toContain('BLOCKED_MODELS: expected a JSON object of model-id pattern → reason');
    expect(problem).toContain(got);
    expect(problem).not.toContain('Invalid input');
  });

  it('still names the entry whose reason is missing', () => {
    expect(problemsWith('{"meta.*":""}')).toEqual(['BLOCKED_MODELS[meta.*]: expected a reason people are shown']);
  });
});
