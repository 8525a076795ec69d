// One activation run, step by step. Idempotent and resumable: it reads the model's availability first and skips
// every step already done, so a run that died midway is simply run again and converges without a second agreement.
import { requestAgreement } from './agreement.js';
import { assumeActivationRole } from './assume-role.js';
import { readAvailability } from './availability.js';
import { checkpoint, newResult, type RunContext } from './run-context.js';
import { submitUseCaseForm } from './submit-use-case-form.js';
import type { ActivationResult } from './types.js';
import { verifyActivation } from './verify.js';
import { waitForAgreement } from './wait-until-settled.js';

export async function runActivation(c: RunContext): Promise<ActivationResult> {
  const result = newResult(c);
  // 1. AssumeRole, so CloudTrail shows which request and which approver every later call belongs to.
  checkpoint(c);
  const as = await assumeActivationRole(c, result);
  const control = c.deps.aws.control(c.region, as);
  // 2. Read availability first: whatever is already done is skipped.
  checkpoint(c);
  const plan = await readAvailability(c, control);
  // 3. Anthropic's use-case form, only when none is on file.
  checkpoint(c);
  await submitUseCaseForm(c, control, plan, result);
  // 4. Offers are listed now, not earlier: offer tokens change. Then the agreement.
  await requestAgreement(c, control, plan, result);
  // 5. Wait until AVAILABLE on two consecutive reads, ERROR, or the deadline.
  checkpoint(c);
  if ((await waitForAgreement(c, control, plan, result)) === 'ended') return result;
  result.outcome = plan.state === 'AVAILABLE' ? 'ALREADY_ACTIVE' : 'ACTIVE';
  result.message =
    result.outcome === 'ALREADY_ACTIVE'
      ? `${c.baseModelId} was already activated in account ${c.account.alias}; nothing was changed.`
      : `${c.baseModelId} is now activated in account ${c.account.alias}. Every role with bedrock:InvokeModel can call it; allow up to 2 minutes for it to propagate.`;
  // 6. Optional: prove it with a minimal Converse call as the activation role.
  await verifyActivation(c, as, result);
  return result;
}
