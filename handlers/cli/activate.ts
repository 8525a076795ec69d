// `bedrock-doctor activate <model> [--account A] [--region R] [--yes]`: the admin activation from a terminal.
// Shows the offer's terms and asks first (unless --yes): accepting an offer binds the whole account to its EULA.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ActivationProgress } from '../../src/access/activation/activate-model.js';
import { parseModelArgs, withAccessServices } from './access-services.js';
import { type Command, EXIT, visible } from './io.js';

const USAGE = 'Usage: bedrock-doctor activate <model-id|profile-id|arn> [--account A] [--region R] [--yes]\n';

const activate: Command = async (args, io) => {
  const parsed = parseModelArgs(args, io, USAGE, {
    account: { type: 'string' },
    region: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
  });
  if (!parsed) return EXIT.usage;
  const { modelRef } = parsed;
  const { account, region, yes } = parsed.values;
  // Titles, offer terms and progress details carry AWS's words: shown through `visible`.
  const say = (text: string) => io.stdout.write(visible(text));
  return withAccessServices(
    io,
    async (services) => {
      const report = await services.checkStatus({ modelRef, account, regions: region ? [region] : undefined });
      const where = `${report.account.alias ?? ''} / ${report.regions[0]?.region ?? ''}`;
      switch (report.verdict) {
        case 'READY':
        case 'NO_ACTIVATION_NEEDED':
          say(`${report.title}. Nothing to do.\n`);
          return EXIT.ok;
        case 'NOT_FOUND':
        case 'NOT_IN_REGION':
        case 'LEGACY':
          say(`${report.title}. ${report.nextStep}\n`);
          return EXIT.failed;
        default:
          break;
      }
      say(`Activate ${modelRef} in ${where}.\n`);
      if (report.offer?.termsUrl) say(`Offer terms (EULA): ${report.offer.termsUrl}\n`);
      if (report.offer?.pricing.length) say(`Pricing: ${report.offer.pricing.join('; ')}\n`);
      if (!yes) {
        say('This accepts the offer for the whole account. Continue? [y/N] ');
        const answer = (await readLine(io.stdin)).trim().toLowerCase();
        // A terminal echoes the user's Enter; piped input does not, so end the prompt line ourselves.
        if (!(io.stdin as { isTTY?: boolean }).isTTY) say('\n');
        if (answer !== 'y' && answer !== 'yes') {
          say('Cancelled; nothing was changed.\n');
          return EXIT.failed;
        }
      }
      const who = io.env.USER || io.env.USERNAME || 'cli-user';
      const result = await services.activateModel({
        requestId: `cli-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
        modelRef,
        account,
        region,
        approver: who,
        requester: who,
        onProgress: (p) => say(progressLine(p)),
      });
      say(`${result.outcome}: ${result.message}\n`);
      if (result.verification) say(`Verification: ${result.verification.detail}\n`);
      return result.outcome === 'ACTIVE' || result.outcome === 'ALREADY_ACTIVE' ? EXIT.ok : EXIT.failed;
    },
    { lease: true },
  );
};
export default activate;

const MARK: Record<ActivationProgress['status'], string> = { started: '…', done: '✓', skipped: '-', failed: '✗' };

function progressLine(p: ActivationProgress): string {
  return `  ${MARK[p.status]} ${p.step.replace(/_/g, ' ')}${p.status === 'started' ? '' : ` (${p.status})`}${p.detail && p.status !== 'started' ? `: ${p.detail}` : ''}\n`;
}

/** The first line of input (or all of it, if it has no newline). */
function readLine(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.pause();
      resolve(text.split('\n')[0] ?? '');
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    stream.on('data', onData);
    stream.once('end', done);
  });
}
