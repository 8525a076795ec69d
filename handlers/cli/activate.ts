// `bedrock-doctor activate <model> [--account A] [--region R] [--yes]`: the admin activation from a terminal.
// Shows the offer's terms and asks first (unless --yes): accepting an offer binds the whole account to its EULA.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ActivationProgress } from '../../src/access/activate-model.js';
import { parseModelArgs, withAccessServices } from './access-services.js';
import { type Command, EXIT } from './io.js';

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
  return withAccessServices(
    io,
    async (services) => {
      const report = await services.checkStatus({ modelRef, account, regions: region ? [region] : undefined });
      const where = `${report.account.alias ?? ''} / ${report.regions[0]?.region ?? ''}`;
      switch (report.verdict) {
        case 'READY':
        case 'NO_ACTIVATION_NEEDED':
          io.stdout.write(`${report.title}. Nothing to do.\n`);
          return EXIT.ok;
        case 'NOT_FOUND':
        case 'NOT_IN_REGION':
        case 'LEGACY':
          io.stdout.write(`${report.title}. ${report.nextStep}\n`);
          return EXIT.failed;
        default:
          break;
      }
      io.stdout.write(`Activate ${modelRef} in ${where}.\n`);
      if (report.offer?.termsUrl) io.stdout.write(`Offer terms (EULA): ${report.offer.termsUrl}\n`);
      if (report.offer?.pricing.length) io.stdout.write(`Pricing: ${report.offer.pricing.join('; ')}\n`);
      if (!yes) {
        io.stdout.write('This accepts the offer for the whole account. Continue? [y/N] ');
        const answer = (await readLine(io.stdin)).trim().toLowerCase();
        // A terminal echoes the user's Enter; piped input does not, so end the prompt line ourselves.
        if (!(io.stdin as { isTTY?: boolean }).isTTY) io.stdout.write('\n');
        if (answer !== 'y' && answer !== 'yes') {
          io.stdout.write('Cancelled; nothing was changed.\n');
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
        onProgress: (p) => io.stdout.write(progressLine(p)),
      });
      io.stdout.write(`${result.outcome}: ${result.message}\n`);
      if (result.verification) io.stdout.write(`Verification: ${result.verification.detail}\n`);
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
