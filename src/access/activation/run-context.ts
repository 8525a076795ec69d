// What every step of one activation run shares, and the wrapper that turns a step's AWS failure into its
// ActivationError after reporting the step as failed.
import { messageOf } from '../../errors.js';
import type { CallOptions, Clock } from '../ports.js';
import { fromAws } from './activation-errors.js';
import type {
  ActivateModelInput,
  ActivationDeps,
  ActivationProgress,
  ActivationResult,
  ActivationStepName,
} from './types.js';

export interface RunContext {
  deps: ActivationDeps;
  clock: Clock;
  request: ActivateModelInput;
  account: { id?: string; alias: string; externalId?: string };
  region: string;
  baseModelId: string;
  roleArn: string;
  useCaseForm: boolean;
  /** The request's abort signal reaches every SDK call, so aborting stops the HTTP request in flight too. */
  callOptions: CallOptions;
  emit: (step: ActivationStepName, status: ActivationProgress['status'], detail?: string) => void;
  steps: ActivationProgress[];
  /**
   * Called right before each AWS write (the use-case form, an agreement): throws when this run may no longer write,
   * e.g. its cross-process lease was lost and another process now runs the activation.
   */
  beforeWrite: () => Promise<void>;
}

/** Stops the run between steps once the request was aborted; a re-run resumes. */
export function checkpoint(c: RunContext): void {
  c.request.signal?.throwIfAborted();
}

/** Runs one AWS call of a step: on failure the step is reported failed and the error mapped for the approver. */
export async function awsStep<T>(c: RunContext, name: ActivationStepName, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    c.emit(name, 'failed', messageOf(err));
    throw fromAws(err, name);
  }
}

/** The result before any step ran: nothing done yet. */
export function newResult(c: RunContext): ActivationResult {
  return {
    outcome: 'STILL_PENDING',
    message: '',
    requestId: c.request.requestId,
    modelRef: c.request.modelRef.trim(),
    baseModelId: c.baseModelId,
    account: { id: c.account.id, alias: c.account.alias },
    region: c.region,
    useCaseFormSubmitted: false,
    agreementCreated: false,
    agreementConflict: false,
    joined: false,
    steps: c.steps,
  };
}
