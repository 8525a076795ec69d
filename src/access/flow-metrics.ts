// Port: the approval flow's own figures (requests, decisions, activations, time from Approve to active, failures by
// reason, diagnoses by category). The figures are read off the request store's successful transitions, so a click
// Slack delivers twice or a worker that runs a job again is counted once, and no use case has to remember to count.
// src/aws/cloudwatch-metrics.ts writes them as CloudWatch embedded-metric lines; the dashboard reads the same names.
import type { Category, Diagnosis } from '../diagnosis/types.js';
import type { ActivationRequest, RequestRepository, RequestState } from './request-repository.js';

/** The namespace the functions write to and the dashboard reads. */
export const FLOW_METRICS_NAMESPACE = 'bedrock-doctor';
/** Every figure carries `service` = this (Powertools' default dimension). */
export const FLOW_METRICS_SERVICE = 'bedrock-doctor';

/** Metric names, shared by the emitter and the CloudWatch dashboard. */
export const FLOW_METRIC = {
  requests: 'Requests',
  requestJoins: 'RequestJoins',
  decisions: 'Decisions',
  activations: 'Activations',
  approveToActive: 'ApproveToActiveSeconds',
  activationFailures: 'ActivationFailures',
  diagnoses: 'Diagnoses',
} as const;

/** Dimension names (each metric has at most one besides `service`). */
export const FLOW_DIMENSION = {
  decision: 'Decision',
  outcome: 'Outcome',
  reason: 'Reason',
  category: 'Category',
} as const;

export type Decision = 'approved' | 'rejected' | 'cancelled' | 'expired';
export const DECISIONS: readonly Decision[] = ['approved', 'rejected', 'cancelled', 'expired'];

export type FlowEvent =
  | { kind: 'request_opened'; joined: boolean }
  | { kind: 'decided'; decision: Decision }
  | { kind: 'activation_ended'; outcome: 'active'; secondsFromApproval?: number }
  | { kind: 'activation_ended'; outcome: 'failed'; reason: string }
  | { kind: 'diagnosed'; category: Category };

export interface FlowMetrics {
  /** Never throws: a figure lost is better than a click refused. */
  record(event: FlowEvent): void;
}

export const noFlowMetrics: FlowMetrics = { record: () => {} };

const DECISION_OF: Partial<Record<RequestState, Decision>> = {
  APPROVED: 'approved',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
};

/** A failure's code as a dimension value: our own codes pass, anything else is one bucket (dimensions cost). */
function failureReason(request: ActivationRequest): string {
  const code = request.error?.code;
  return code && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : 'UNKNOWN';
}

function secondsFromApproval(request: ActivationRequest): number | undefined {
  const approved = Date.parse(request.decidedAt ?? '');
  const active = Date.parse(request.finishedAt ?? request.updatedAt);
  return Number.isFinite(approved) && Number.isFinite(active) && active >= approved
    ? (active - approved) / 1000
    : undefined;
}

/** What a transition that happened means for the figures (none for APPROVED → ACTIVATING). */
export function eventOfTransition(to: RequestState, request: ActivationRequest): FlowEvent | undefined {
  const decision = DECISION_OF[to];
  if (decision) return { kind: 'decided', decision };
  if (to === 'ACTIVE') {
    const seconds = secondsFromApproval(request);
    return {
      kind: 'activation_ended',
      outcome: 'active',
      ...(seconds === undefined ? {} : { secondsFromApproval: seconds }),
    };
  }
  if (to === 'FAILED') return { kind: 'activation_ended', outcome: 'failed', reason: failureReason(request) };
  return undefined;
}

/** The same repository, recording a figure for each request opened or joined and each transition that succeeded. */
export function withFlowMetrics(repository: RequestRepository, metrics: FlowMetrics): RequestRepository {
  return {
    ...repository,
    async openOrJoin(input) {
      const result = await repository.openOrJoin(input);
      metrics.record({ kind: 'request_opened', joined: result.joined });
      return result;
    },
    async transition(id, input) {
      const result = await repository.transition(id, input);
      if (result.ok) {
        const event = eventOfTransition(input.to, result.request);
        if (event) metrics.record(event);
      }
      return result;
    },
  };
}

/** The same diagnosis engine, recording the category of every diagnosis it gives. */
export function withDiagnosisMetrics(
  diagnose: (text: string) => Diagnosis,
  metrics: FlowMetrics,
): (text: string) => Diagnosis {
  return (text) => {
    const diagnosis = diagnose(text);
    metrics.record({ kind: 'diagnosed', category: diagnosis.category });
    return diagnosis;
  };
}
