// Caller-supplied identities cut to the store's size limits before they are written (records.ts holds the limits).
import type { Actor, OfferShown, OpenOrJoinInput, Participant, SlackContext } from '../../access/request-repository.js';
import { bound, LIMITS } from '../records.js';

export function boundParticipant(p: OpenOrJoinInput['requester'], at: string): Participant {
  return {
    userId: bound(p.userId, LIMITS.id),
    ...(p.teamId ? { teamId: bound(p.teamId, LIMITS.id) } : {}),
    ...(p.channelId ? { channelId: bound(p.channelId, LIMITS.id) } : {}),
    at,
  };
}

export function boundActor(a: Actor): Actor {
  return { userId: bound(a.userId, LIMITS.id), ...(a.teamId ? { teamId: bound(a.teamId, LIMITS.id) } : {}) };
}

/** `{ slack }` when there is any Slack context to keep, `{}` otherwise (so no empty map is stored). */
export function optionalSlack(s: SlackContext | undefined): { slack?: SlackContext } {
  if (!s?.teamId && !s?.channelId) return {};
  return {
    slack: {
      ...(s.teamId ? { teamId: bound(s.teamId, LIMITS.id) } : {}),
      ...(s.channelId ? { channelId: bound(s.channelId, LIMITS.id) } : {}),
    },
  };
}

/** The offer shown on a card, cut to the store's limits. */
export function boundOffer(offer: OfferShown): OfferShown {
  return {
    summary: bound(offer.summary, LIMITS.text),
    ...(offer.offerToken ? { offerToken: bound(offer.offerToken, LIMITS.text) } : {}),
    ...(offer.termsUrl ? { termsUrl: bound(offer.termsUrl, LIMITS.text) } : {}),
  };
}
