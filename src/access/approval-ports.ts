// Ports of the approval flow: who is in the approver group, how people are told, how activation jobs are queued.
// src/slack implements the first two over the Web API; the queue is in-process locally and SQS in production.
import type { ActivationRequest } from './request-repository.js';

/** A Slack user acting on a request, as the signed payload names them. */
export interface SlackActor {
  userId: string;
  /** The user's workspace (`T…`). */
  teamId?: string;
  /** Enterprise Grid organisation (`E…`), when there is one. */
  enterpriseId?: string;
  /** The app the click was addressed to (`api_app_id`). */
  appId?: string;
}

/** The workspace and app this bot is installed as (from `auth.test`); clicks from elsewhere are refused. */
export interface Installation {
  teamId?: string;
  enterpriseId?: string;
  appId?: string;
}

export interface ApproverDirectory {
  /** Current members of a Slack user group (`usergroups.users.list`), read at click time. */
  groupMembers(groupId: string): Promise<string[]>;
}

/** Where and how the people around a request are told. Every method reads what it shows from `request`. */
export interface RequestNotifier {
  /** Posts the approval card of a new request; undefined when Slack refused it (the request stays open). */
  postCard(request: ActivationRequest, channelId: string): Promise<{ channelId: string; ts: string } | undefined>;
  /** Renders the card again from the request as stored now (chat.update, or a new message if that keeps failing). */
  refreshCard(request: ActivationRequest): Promise<void>;
  /** Tells the requester and every joiner that the request ended (active, rejected, expired, failed, cancelled). */
  requestEnded(request: ActivationRequest): Promise<void>;
  /** A reminder in the card's thread that the request still waits for an approver. */
  remind(request: ActivationRequest): Promise<void>;
  /** A link to the card, when it was posted. */
  cardLink(request: ActivationRequest): Promise<string | undefined>;
}

/** The activation job: plain JSON, only the request id. Everything else is read from the store when it runs. */
export interface ActivationJob {
  kind: 'activate_request';
  requestId: string;
}

export type EnqueueActivation = (job: ActivationJob) => Promise<void>;

/** The actor recorded for transitions the system makes on its own. */
export const SYSTEM_ACTORS = {
  worker: { userId: 'system:worker' },
  reconciler: { userId: 'system:reconciler' },
} as const;

/**
 * Reads an activation job off a queue. Only the kind and the request id are taken; anything else a message carries
 * is ignored, because everything the job acts on is loaded from the store.
 */
export function parseActivationJob(raw: unknown): ActivationJob | undefined {
  const body = typeof raw === 'string' ? safeJson(raw) : raw;
  if (typeof body !== 'object' || body === null) return undefined;
  const { kind, requestId } = body as { kind?: unknown; requestId?: unknown };
  if (kind !== 'activate_request' || typeof requestId !== 'string' || !/^[\w-]{1,128}$/.test(requestId)) {
    return undefined;
  }
  return { kind, requestId };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
