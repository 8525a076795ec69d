// The answer to `/bedrock status`: verdict, explanation, one row per region, the offer and the next step.
import type { Button, KnownBlock } from '@slack/types';
import type { RegionStatus, StatusReport, Verdict } from '../../access/status-report.js';
import { AWS_REGION_RE } from '../../aws-shapes.js';
import { requestActivationButton } from './buttons.js';
import { LIMITS, type SlackMessage } from './message.js';
import { escapeMrkdwn, inlineCode, plainText, truncate, truncateEscaped } from './mrkdwn.js';

/** One emoji per verdict, shown before the explanation and on each region row. */
export const VERDICT_ICON: Record<Verdict, string> = {
  READY: ':large_green_circle:',
  NO_ACTIVATION_NEEDED: ':large_green_circle:',
  NEEDS_ACTIVATION: ':lock:',
  NEEDS_USE_CASE_FORM: ':memo:',
  ACTIVATION_PENDING: ':hourglass_flowing_sand:',
  ACTIVATION_FAILED: ':red_circle:',
  NOT_IN_REGION: ':no_entry_sign:',
  LEGACY: ':warning:',
  NOT_FOUND: ':grey_question:',
  CHECK_FAILED: ':warning:',
};

/** Verdicts an admin activation would resolve: these get a "Request activation" button. */
const ACTIVATABLE: readonly Verdict[] = ['NEEDS_ACTIVATION', 'NEEDS_USE_CASE_FORM', 'ACTIVATION_FAILED'];

const MAX_REGION_ROWS = 20;

export function statusCard(report: StatusReport): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(`${report.title}`, LIMITS.headerText) },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${VERDICT_ICON[report.verdict]} ${truncateEscaped(report.explanation, 1500)}` },
    },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(subjectLines(report).join('\n'), LIMITS.sectionText) } },
  ];

  if (report.regions.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: regionRows(report.regions) } });
  }

  const offer = offerLines(report);
  if (offer.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: offer.join('\n') } });

  if (report.suggestions.length > 0) {
    const shown = report.suggestions.slice(0, 5).map((s) => inlineCode(s, 150));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Did you mean:* ${shown.join(', ')}` } });
  }

  if (report.missingPermissions.length > 0) {
    const actions = report.missingPermissions.slice(0, 15).map((a) => inlineCode(a, 100));
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*The bot's own role lacks:* ${actions.join(', ')}` },
    });
  }

  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `*Next step:* ${truncateEscaped(report.nextStep, 1500)}` },
  });

  const contextLines = [
    ...report.degraded.slice(0, 3).map((d) => `:information_source: ${truncateEscaped(d, 300)}`),
    `Checked ${escapeMrkdwn(report.checkedAt)}`,
  ];
  blocks.push({
    type: 'context',
    elements: contextLines.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text })),
  });

  const button = ACTIVATABLE.includes(report.verdict) ? activationButton(report) : undefined;
  if (button) blocks.push({ type: 'actions', elements: [button] });

  const fallback = `${report.title} (${report.modelRef}): ${report.nextStep}`;
  return { text: escapeMrkdwn(truncate(fallback, 300)), blocks };
}

function subjectLines(r: StatusReport): string[] {
  const model = [inlineCode(r.modelRef)];
  if (r.baseModelId && r.baseModelId !== r.modelRef) model.push(`→ ${inlineCode(r.baseModelId)}`);
  const named = [r.modelName, r.providerName].filter(Boolean).join(', ');
  if (named) model.push(`(${escapeMrkdwn(truncate(named, 150))})`);
  const lines = [`*Model:* ${model.join(' ')}`];
  const account = [r.account.alias, r.account.id].filter(Boolean).map((x) => escapeMrkdwn(String(x)));
  if (account.length > 0) lines.push(`*Account:* ${account.join(' · ')}`);
  if (r.callerArn) lines.push(`*Checked as:* ${inlineCode(r.callerArn)}`);
  if (r.lifecycle === 'LEGACY') lines.push('*Lifecycle:* Legacy — plan a move to a newer model');
  if (r.profileOnly) lines.push('*Invocation:* through an inference profile only (e.g. `us.` or `global.` prefix)');
  return lines;
}

function regionRows(regions: RegionStatus[]): string {
  const rows = regions
    .slice(0, MAX_REGION_ROWS)
    .map((r) => `${VERDICT_ICON[r.verdict]} ${inlineCode(r.region, 30)} ${truncateEscaped(r.summary, 110)}`);
  if (regions.length > MAX_REGION_ROWS) rows.push(`… and ${regions.length - MAX_REGION_ROWS} more regions`);
  return truncate(['*Regions*', ...rows].join('\n'), LIMITS.sectionText);
}

function offerLines(r: StatusReport): string[] {
  if (!r.offer) return [];
  const lines: string[] = [];
  const url = r.offer.termsUrl;
  // Only a plain https URL becomes a link: anything with `|`, `<`, `>` or spaces could smuggle markup.
  if (url && /^https:\/\/[^\s<>|]{1,900}$/.test(url))
    lines.push(`*Offer terms:* <${url.replace(/&/g, '&amp;')}|review the EULA>`);
  const prices = r.offer.pricing.slice(0, 5).map((p) => `• ${truncateEscaped(p, 200)}`);
  if (prices.length > 0) lines.push('*Pricing*', ...prices);
  return lines;
}

function activationButton(r: StatusReport): Button | undefined {
  const region = r.regions.find((x) => ACTIVATABLE.includes(x.verdict))?.region;
  return requestActivationButton({
    m: r.baseModelId ?? r.modelRef,
    r: region && AWS_REGION_RE.test(region) ? region : undefined,
    // The request form preselects the account that was checked.
    a: r.account.id && /^\d{12}$/.test(r.account.id) ? r.account.id : undefined,
  });
}

/** The status check's first answer, in the ack, replaced by the card once the check is done. */
export function checkingMessage(modelRef: string, regions: string[]): SlackMessage {
  const where = regions.length > 0 ? ` in ${regions.map((r) => `\`${escapeMrkdwn(r)}\``).join(', ')}` : '';
  const text = `:hourglass_flowing_sand: Checking \`${escapeMrkdwn(truncate(modelRef, 300))}\`${where} …`;
  return {
    text: `Checking ${escapeMrkdwn(truncate(modelRef, 300))} …`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
