// The audit trail: append-only events under the request's partition. Transitions write theirs in the same
// transaction (transitions.ts); notes that change nothing else are written here.
import { randomBytes } from 'node:crypto';
import type {
  Actor,
  AuditEvent,
  RequestRepository,
  RequestState,
  SlackContext,
} from '../../access/request-repository.js';
import { auditEventFromItem, bound, LIMITS } from '../records.js';
import { keys } from '../table-design.js';
import { boundActor, optionalSlack } from './bounded-inputs.js';
import { type PlainItem, queryAll, type StoreContext } from './context.js';

/** The audit action recorded when a request enters each state. */
export const STATE_ACTIONS: Record<RequestState, string> = {
  REQUESTED: 'requested',
  APPROVED: 'approved',
  ACTIVATING: 'activation_started',
  ACTIVE: 'activated',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
};

/** The event's id is its sort key without the prefix, so ids order the trail. */
export function auditIdOf(key: { sk: string }): string {
  return key.sk.slice('AUDIT#'.length);
}

export function auditItem(event: AuditEvent, key: { pk: string; sk: string }): PlainItem {
  return { ...key, kind: 'audit', ...event };
}

/** A key for an event that is not a transition: it sorts after the version it follows, and never collides. */
export function auditNoteKey(requestId: string, version: number, at: string): { pk: string; sk: string } {
  return keys.auditNote(requestId, version, at, randomBytes(4).toString('hex'));
}

export function createAuditTrail(ctx: StoreContext): Pick<RequestRepository, 'recordAuditNote' | 'auditTrail'> {
  const { Audit } = ctx.models;

  async function recordAuditNote(
    id: string,
    entry: { actor: Actor; action: string; slack?: SlackContext; note?: string },
  ): Promise<AuditEvent | undefined> {
    const current = await ctx.getRequest(id);
    if (!current) return undefined;
    const now = ctx.clock().toISOString();
    const key = auditNoteKey(id, current.version, now);
    const event: AuditEvent = {
      id: auditIdOf(key),
      requestId: id,
      at: now,
      actor: boundActor(entry.actor),
      action: bound(entry.action, LIMITS.id),
      ...optionalSlack(entry.slack),
      ...(entry.note ? { note: bound(entry.note, LIMITS.text) } : {}),
    };
    await Audit.create(auditItem(event, key));
    return event;
  }

  async function auditTrail(requestId: string): Promise<AuditEvent[]> {
    const items = await queryAll(
      Audit.query('pk').eq(keys.request(requestId).pk).where('sk').beginsWith('AUDIT#').consistent(),
      `audit trail of ${requestId}`,
    );
    return items.map(auditEventFromItem);
  }

  return { recordAuditNote, auditTrail };
}
