// Caller-supplied identities cut to the store's size limits before they are written (records.ts holds the limits).
import type { Actor, OpenOrJoinInput, Participant, SlackContext } from '../../access/request-repository.js';
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
