// Step 4b: the agreement. A ConflictException means one is already in flight; an offer token that expired between
// list and create is listed once more. After a conflict whose agreement never appears, `recreateAfterConflict`
// creates again (bounded), rather than waiting out the deadline for nothing.
import { messageOf } from '../../errors.js';
import { isAwsCallError } from '../aws-call-error.js';
import type { AgreementOffer, BedrockControlPort } from '../ports.js';
import { ActivationError, ActivationErrorReason, deniedAction, fromAws } from './activation-errors.js';
import type { ActivationPlan } from './availability.js';
import { listOffer } from './offers.js';
import { checkpoint, type RunContext } from './run-context.js';
import type { ActivationResult } from './types.js';

/** Creates tried again when an agreement reported in flight never appears. */
export const MAX_RECREATES_AFTER_CONFLICT = 2;

/** Lists the offer and requests the agreement, unless the plan skips writes. */
export async function requestAgreement(
  c: RunContext,
  control: BedrockControlPort,
  { skipWrites, why }: ActivationPlan,
  result: ActivationResult,
): Promise<void> {
  const { emit } = c;
  if (skipWrites) {
    emit('list_offers', 'skipped', why);
    emit('create_agreement', 'skipped', why);
    return;
  }
  checkpoint(c);
  const offer = await listOffer(c, control);
  result.offer = { offerId: offer.offerId, termsUrl: offer.termsUrl, pricing: offer.pricing };
  checkpoint(c);
  emit('create_agreement', 'started');
  const created = await createAgreement(c, control, offer);
  result.agreementCreated = created === 'created';
  result.agreementConflict = created === 'conflict';
  emit(
    'create_agreement',
    'done',
    created === 'conflict' ? 'an agreement was already in flight; waiting for it' : 'agreement requested',
  );
}

/**
 * After a ConflictException, AWS said an agreement is in flight; each call (when none showed up after a few reads)
 * lists the offers again and creates once more, until `MAX_RECREATES_AFTER_CONFLICT` is spent.
 */
export function recreateAfterConflict(
  c: RunContext,
  control: BedrockControlPort,
  result: ActivationResult,
): { whenMissing: () => Promise<'wait' | 'gave-up'>; attempts: () => number } {
  const { emit } = c;
  let recreates = 0;
  const whenMissing = async (): Promise<'wait' | 'gave-up'> => {
    if (recreates >= MAX_RECREATES_AFTER_CONFLICT) return 'gave-up';
    recreates++;
    emit('create_agreement', 'started', 'no agreement appeared after the conflict; creating once more');
    const offerToRecreate = await listOffer(c, control);
    const again = await createAgreement(c, control, offerToRecreate);
    if (again === 'created') {
      result.agreementCreated = true;
      emit('create_agreement', 'done', 'agreement requested');
    } else emit('create_agreement', 'done', 'AWS again reports an agreement in flight');
    return 'wait';
  };
  return { whenMissing, attempts: () => recreates + 1 };
}

export async function createAgreement(
  c: RunContext,
  control: BedrockControlPort,
  offer: AgreementOffer,
): Promise<'created' | 'conflict'> {
  for (let attempt = 1; ; attempt++) {
    await c.beforeWrite();
    try {
      await control.createAgreement(c.baseModelId, offer.offerToken, c.callOptions);
      return 'created';
    } catch (err) {
      if (isAwsCallError(err, 'conflict')) return 'conflict';
      // An offer token can expire between list and create: list once more and retry once.
      if (isAwsCallError(err, 'validation') && attempt === 1) {
        const fresh = (await control.listOffers(c.baseModelId, c.callOptions).catch(() => []))[0];
        if (fresh) {
          offer = fresh;
          continue;
        }
      }
      c.emit('create_agreement', 'failed', messageOf(err));
      if (isAwsCallError(err, 'access-denied') && /aws-marketplace:/i.test(err.message)) {
        throw new ActivationError(
          ActivationErrorReason.MarketplaceDenied,
          `The activation role lacks AWS Marketplace rights: ${err.message}. Grant it aws-marketplace:Subscribe and ` +
            'aws-marketplace:ViewSubscriptions (see README "IAM permissions").',
          { step: 'create_agreement', awsMessage: err.message, missingAction: deniedAction(err) },
          { cause: err },
        );
      }
      throw fromAws(err, 'create_agreement');
    }
  }
}
