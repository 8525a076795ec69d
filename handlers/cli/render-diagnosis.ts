// Plain-text rendering of a Diagnosis for a terminal: title, cause, explanation, facts, numbered steps, notes.
import { labelledFacts } from '../../src/diagnosis/fact-labels.js';
import { describeLookalike } from '../../src/diagnosis/lookalikes.js';
import type { Diagnosis } from '../../src/diagnosis/types.js';
import { visible } from './io.js';

// Pasted text reaches the terminal: `visible` strips escape sequences and shows invisible characters.
const clean = visible;

export function renderDiagnosis(d: Diagnosis, options: { color?: boolean } = {}): string {
  const bold = (s: string) => (options.color ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string) => (options.color ? `\u001b[2m${s}\u001b[22m` : s);
  const out: string[] = [];
  out.push(bold(clean(d.title)), `${dim('Category:')} ${d.category}  ${dim('Cause:')} ${d.cause}`, '');
  out.push(wrap(clean(d.explanation), 100, ''), '');
  const facts = labelledFacts(d.facts);
  if (facts.length > 0) {
    out.push(bold('Facts'));
    const width = Math.max(...facts.map(({ label }) => label.length));
    for (const { label, value } of facts) {
      const shown = Array.isArray(value) ? value.join(', ') : String(value);
      out.push(`  ${label.padEnd(width)}  ${clean(shown)}`);
    }
    out.push('');
  }
  if (d.lookalikes?.length) {
    out.push(bold('Not trusted'));
    for (const l of d.lookalikes) out.push(wrap(clean(describeLookalike(l)), 100, '  ! ', '    '));
    out.push('');
  }
  if (d.steps.length > 0) {
    out.push(bold('What to do'));
    d.steps.forEach((step, i) => {
      out.push(`  ${i + 1}. ${clean(step.title)}${step.recommended ? ' (recommended)' : ''}`);
      if (step.detail) out.push(wrap(clean(step.detail), 100, '     '));
      if (step.code) {
        out.push('');
        for (const line of clean(step.code.content).split('\n')) out.push(`       ${line}`);
        out.push('');
      }
    });
    out.push('');
  }
  if (d.notes.length > 0) {
    out.push(bold('Notes'));
    for (const note of d.notes) out.push(wrap(clean(note), 100, '  - ', '    '));
    out.push('');
  }
  if (d.activationCanHelp) out.push('An admin activation fixes this: ask in Slack with "Request activation".', '');
  if (d.truncated) out.push('(Input was longer than 256 KB; only the first 256 KB was read.)', '');
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function wrap(text: string, width: number, first: string, rest = ' '.repeat(first.length)): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}
