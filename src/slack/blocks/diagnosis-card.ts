// The answer to a pasted error: cause, plain explanation, facts found, ordered fix, and the buttons that fit.
import type { Button, KnownBlock } from '@slack/types';
import { AWS_REGION_RE } from '../../aws-shapes.js';
import { labelledFacts } from '../../diagnosis/fact-labels.js';
import { describeLookalike } from '../../diagnosis/lookalikes.js';
import type { Diagnosis, Facts } from '../../diagnosis/types.js';
import { redactSecrets } from '../../redact.js';
import { checkStatusButton, notWhatHappenedButton, requestActivationButton } from './buttons.js';
import { LIMITS, type SlackMessage } from './message.js';
import { codeBlock, escapeMrkdwn, inlineCode, plainText, showInvisibles, truncate, truncateEscaped } from './mrkdwn.js';

export interface DiagnosisCardInput {
  diagnosis: Diagnosis;
  /** The text as pasted (before any cleaning); its size and a short excerpt are shown so the reader knows what was read. */
  pasted: string;
  /** Show an excerpt of the paste (a slash command's text is seen by nobody else; a DM's paste is right above). */
  showExcerpt: boolean;
  /** The paste is held for "Not what happened?" under this id (absent where no store keeps misses). */
  miss?: MissOffer;
}

/** What the card promises before the click: how long an unclicked paste waits, how long a kept one stays. */
export interface MissOffer {
  heldPasteId: string;
  holdMinutes: number;
  keepDays: number;
}

/** Sizes tried in turn until the message fits Slack's limits; the last one always fits. */
const PROFILES = [
  { explanation: 1500, detail: 600, code: 1500, steps: 8, notes: 5, excerpt: 300 },
  { explanation: 900, detail: 300, code: 700, steps: 6, notes: 3, excerpt: 200 },
  { explanation: 500, detail: 150, code: 300, steps: 4, notes: 2, excerpt: 120 },
  { explanation: 300, detail: 0, code: 0, steps: 3, notes: 1, excerpt: 0 },
] as const;
type Profile = (typeof PROFILES)[number];

/** Whether the diagnosis found nothing to go on (the reply is then a short "paste the error" hint). */
export function isEmptyDiagnosis(d: Diagnosis): boolean {
  return d.category === 'unknown' && Object.values(d.facts).every((v) => v === undefined) && !d.lookalikes?.length;
}

export function diagnosisCard(input: DiagnosisCardInput): SlackMessage {
  for (const profile of PROFILES) {
    const message = build(input, profile);
    if (fitsBudget(message)) return message;
  }
  return build(input, PROFILES[PROFILES.length - 1] as Profile);
}

function build({ diagnosis: d, pasted, showExcerpt, miss }: DiagnosisCardInput, p: Profile): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(d.title, LIMITS.headerText) },
    { type: 'section', text: { type: 'mrkdwn', text: truncateEscaped(d.explanation, p.explanation) } },
  ];

  const facts = factLines(d.facts);
  if (facts.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fit(['*What the error shows*', ...facts]) } });
  }

  const untrusted = lookalikeLines(d);
  if (untrusted.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fit([':warning: *Not trusted*', ...untrusted]) } });
  }

  const steps = d.steps.slice(0, p.steps);
  if (steps.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '*How to fix it*' } });
  steps.forEach((step, i) => {
    const parts = [
      `*${i + 1}. ${escapeMrkdwn(truncate(step.title, 200))}*${step.recommended ? ' _(recommended)_' : ''}`,
    ];
    if (step.detail && p.detail > 0) parts.push(truncateEscaped(step.detail, p.detail));
    if (step.code && p.code > 0) parts.push(codeBlock(step.code.content, p.code));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fit(parts) } });
  });
  if (d.steps.length > steps.length) {
    const more = d.steps.length - steps.length;
    blocks.push(
      context(`${more} more step${more > 1 ? 's' : ''}: run \`bedrock-doctor why\` in a terminal for all of them.`),
    );
  }

  const notes = d.notes.slice(0, p.notes);
  if (notes.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: fit(['*Good to know*', ...notes.map((n) => `• ${truncateEscaped(n, 500)}`)]) },
    });
  }

  const read = readSummary(pasted, d.truncated === true);
  const excerpt = showExcerpt && p.excerpt > 0 ? excerptOf(pasted, p.excerpt) : '';
  blocks.push(context(excerpt ? `${read} — ${excerpt}` : read));

  const buttons = buttonsFor(d);
  if (miss) {
    blocks.push(context(missNotice(miss)));
    buttons.push(notWhatHappenedButton(miss.heldPasteId));
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });

  return { text: fallback(d), blocks: blocks.slice(0, LIMITS.blocksPerMessage) };
}

/**
 * Whether the blocks stay under our JSON budget. Text is nearly all of a block's size, so a cheap sum decides the
 * common case; only a message near the budget is serialised to measure it exactly.
 */
function fitsBudget(message: SlackMessage): boolean {
  let approx = 0;
  for (const block of message.blocks) approx += 120 + textLength(block);
  if (approx < LIMITS.blocksJson * 0.75) return true;
  return JSON.stringify(message.blocks).length <= LIMITS.blocksJson;
}

function textLength(block: KnownBlock): number {
  switch (block.type) {
    case 'header':
    case 'section':
      return block.text?.text.length ?? 0;
    case 'context':
      return block.elements.reduce((n, e) => n + ('text' in e ? e.text.length : 0), 0);
    default:
      return 600;
  }
}

function factLines(facts: Facts): string[] {
  const lines: string[] = [];
  for (const { label, value } of labelledFacts(facts)) {
    const shown = Array.isArray(value)
      ? value.map((v) => inlineCode(String(v), 120)).join(', ')
      : inlineCode(String(value));
    lines.push(`*${label}:* ${shown}`);
  }
  return lines;
}

/** One line per token that only looks like an identifier: said plainly, shown with its look-alikes spelled out. */
function lookalikeLines(d: Diagnosis): string[] {
  return (d.lookalikes ?? []).map((l) => `• ${describeLookalike(l, (shown) => inlineCode(shown, 160))}`);
}

function buttonsFor(d: Diagnosis): Button[] {
  const model = d.facts.modelId ?? d.facts.baseModelId;
  if (!model) return [];
  const region = d.facts.region && AWS_REGION_RE.test(d.facts.region) ? d.facts.region : undefined;
  const account = d.facts.accountId && /^\d{12}$/.test(d.facts.accountId) ? d.facts.accountId : undefined;
  // The account the error names decides where the check runs, as for `/bedrock status` on an ARN (issue 9).
  const buttons: Array<Button | undefined> = [checkStatusButton({ m: model, r: region, a: account })];
  if (d.activationCanHelp) {
    buttons.push(requestActivationButton({ m: d.facts.baseModelId ?? model, r: region, a: account }));
  }
  return buttons.filter((b): b is Button => b !== undefined);
}

/** Said before the click, so nobody keeps a paste without knowing what is kept and for how long. */
function missNotice({ holdMinutes, keepDays }: MissOffer): string {
  return (
    `*Not what happened?* Press it and I keep this paste (tokens and keys removed) with my answer for ${keepDays} ` +
    `day${keepDays === 1 ? '' : 's'}, so the diagnosis can be fixed. Without a press nothing is kept past ${holdMinutes} minutes.`
  );
}

function readSummary(pasted: string, truncated: boolean): string {
  const chars = withThousands(pasted.length);
  return truncated ? `Read the first 256 KB of ${chars} characters` : `Read ${chars} characters`;
}

/** 42000 → "42,000" (toLocaleString is slow enough to show in the ack latency). */
function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// Longer than any secret the redaction knows (session tokens run to ~1,000 characters).
const SECRET_MARGIN = 2048;

function excerptOf(pasted: string, max: number): string {
  // Only the head of a long paste is flattened: enough raw text for `max` shown characters, grown while whitespace
  // collapses it below that (a 40 KB paste otherwise costs more here than the rest of the card). The head is redacted
  // before it is shown, and kept well longer than `max`, so a secret cut at the head's end lies beyond what is shown.
  for (let head = max * 4 + SECRET_MARGIN; ; head *= 4) {
    const whole = head >= pasted.length;
    // Revealed before whitespace is collapsed: JavaScript's \s counts U+FEFF as a space.
    const flat = showInvisibles(redactSecrets(whole ? pasted : pasted.slice(0, head)).text)
      .replace(/\s+/g, ' ')
      .trim();
    if (whole || flat.length > max + SECRET_MARGIN)
      return flat ? `_${truncateEscaped(flat, max).replace(/_/g, 'ˍ')}_` : '';
  }
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionFieldText) }] };
}

/** Joins lines into one section text within Slack's 3,000-character limit, never splitting an entity. */
function fit(lines: string[]): string {
  let out = '';
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length > LIMITS.sectionText) return out ? `${out}\n…` : truncate(line, LIMITS.sectionText);
    out = next;
  }
  return out;
}

function fallback(d: Diagnosis): string {
  return escapeMrkdwn(truncate(`${d.title}: ${d.explanation}`, 300));
}
