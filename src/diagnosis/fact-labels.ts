// How each fact is named to a person, in the order it is shown: one table for the CLI and the Slack card alike.
import type { Facts } from './types.js';

/** Every fact has a label (the Record type makes a new fact without one a compile error); key order is show order. */
export const FACT_LABELS: Readonly<Record<keyof Facts, string>> = {
  exception: 'Error',
  operation: 'Operation',
  modelId: 'Model',
  baseModelId: 'Foundation model',
  provider: 'Provider',
  region: 'Region',
  principalArn: 'Caller',
  accountId: 'Account',
  // Every IAM action the text names, not only the denied one (a message can list the permissions it needs).
  actions: 'IAM actions',
  resource: 'Resource',
  deniedBy: 'Denied by',
  policyArn: 'Policy',
  retryAfterMinutes: 'Retry after (minutes)',
  inactivityDays: 'Unused for (days)',
  surface: 'Bedrock feature',
  httpStatus: 'HTTP status',
  requestId: 'Request id',
};

export interface LabelledFact {
  label: string;
  /** A list fact (actions) stays a list: each renderer joins it its own way. */
  value: string | number | string[];
}

/** The facts the text showed, labelled, in show order; absent facts and empty lists are left out. */
export function labelledFacts(facts: Facts): LabelledFact[] {
  const out: LabelledFact[] = [];
  for (const key of Object.keys(FACT_LABELS) as (keyof Facts)[]) {
    const value = facts[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out.push({ label: FACT_LABELS[key], value });
  }
  return out;
}
