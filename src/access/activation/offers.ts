// Step 4a: the model's Marketplace offer, listed right before the agreement: offer tokens change.
import { messageOf } from '../../errors.js';
import type { AgreementOffer, BedrockControlPort } from '../ports.js';
import { ActivationError, ActivationErrorReason, fromAws } from './activation-errors.js';
import type { RunContext } from './run-context.js';

export async function listOffer(c: RunContext, control: BedrockControlPort): Promise<AgreementOffer> {
  c.emit('list_offers', 'started');
  let offers: AgreementOffer[];
  try {
    offers = await control.listOffers(c.baseModelId, c.callOptions);
  } catch (err) {
    c.emit('list_offers', 'failed', messageOf(err));
    throw fromAws(err, 'list_offers');
  }
  const offer = offers[0];
  if (!offer) {
    c.emit('list_offers', 'failed', 'no offer');
    throw new ActivationError(
      ActivationErrorReason.NoOffer,
      `AWS Marketplace has no offer for ${c.baseModelId} in ${c.region}, so it cannot be activated there. ` +
        'It may not be sold in this region, or may need no agreement.',
      { step: 'list_offers' },
    );
  }
  c.emit('list_offers', 'done', offer.termsUrl ? `terms: ${offer.termsUrl}` : offer.offerId);
  return offer;
}
