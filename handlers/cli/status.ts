// `bedrock-doctor status <model> [--account A] [--region R[,R2…]] [--json]`: the live status check in a terminal.
import type { StatusReport } from '../../src/access/status-report.js';
import { parseModelArgs, splitList, withAccessServices } from './access-services.js';
import { type Command, EXIT, toJson, visible } from './io.js';

const USAGE = 'Usage: bedrock-doctor status <model-id|profile-id|arn> [--account A] [--region R[,R2…]] [--json]\n';

const status: Command = async (args, io) => {
  const parsed = parseModelArgs(args, io, USAGE, {
    account: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!parsed) return EXIT.usage;
  const { modelRef } = parsed;
  return withAccessServices(io, async (services) => {
    const report = await services.checkStatus({
      modelRef,
      account: parsed.values.account,
      regions: splitList(parsed.values.region),
    });
    io.stdout.write(parsed.values.json ? `${toJson(report, 2)}\n` : formatReport(report));
    return report.verdict === 'READY' || report.verdict === 'NO_ACTIVATION_NEEDED' ? EXIT.ok : EXIT.failed;
  });
};
export default status;

/** Plain text for a terminal: headline, facts, then one row per region (AWS's words shown safely). */
export function formatReport(r: StatusReport): string {
  const lines = [`${r.verdict}: ${r.title}`, ''];
  const field = (name: string, value: string | undefined) => value && lines.push(`${`${name}:`.padEnd(12)}${value}`);
  const model = [r.modelName, r.providerName && `(${r.providerName})`, r.baseModelId].filter(Boolean).join(' ');
  field('Model', model || r.modelRef);
  field('Account', `${r.account.alias ?? ''}${r.account.id ? ` (${r.account.id})` : ''}`);
  field('Checked as', r.callerArn);
  field('Why', r.explanation);
  field('Next step', r.nextStep);
  field('Terms', r.offer?.termsUrl);
  field('Pricing', r.offer?.pricing.join('; '));
  lines.push('', `${'REGION'.padEnd(16)}${'VERDICT'.padEnd(22)}DETAIL`);
  for (const region of r.regions) {
    lines.push(`${region.region.padEnd(16)}${region.verdict.padEnd(22)}${region.summary}`);
  }
  if (r.missingPermissions.length) lines.push('', `The bot is missing: ${r.missingPermissions.join(', ')}`);
  if (r.degraded.length) lines.push('', 'Partly checked:', ...r.degraded.map((d) => `  - ${d}`));
  return `${visible(lines.join('\n'))}\n`;
}
