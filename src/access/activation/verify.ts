// Step 6 (optional): prove the activation with a minimal Converse call as the activation role.
import { messageOf } from '../../errors.js';
import { isAwsCallError } from '../aws-call-error.js';
import { parseModelRef, profilePrefixFor } from '../model-ref.js';
import type { Principal } from '../ports.js';
import { checkpoint, type RunContext } from './run-context.js';
import type { ActivationResult } from './types.js';

export async function verifyActivation(c: RunContext, as: Principal, result: ActivationResult): Promise<void> {
  const { emit } = c;
  if (!c.deps.config.activation.verifyWithConverse) emit('verify', 'skipped', 'verification is off');
  else {
    checkpoint(c);
    emit('verify', 'started');
    result.verification = await verify(c, as);
    emit('verify', result.verification.ok ? 'done' : 'failed', result.verification.detail);
  }
}

async function verify(c: RunContext, as: Principal): Promise<{ ok: boolean; detail: string }> {
  const runtime = c.deps.aws.runtime(c.region, as);
  const ref = parseModelRef(c.request.modelRef);
  const target = ref.kind === 'model' ? c.baseModelId : ref.ref;
  try {
    await runtime.converse(target, 'Reply with OK.', c.callOptions);
    return { ok: true, detail: `Converse on ${target} succeeded` };
  } catch (err) {
    // Profile-only models refuse their bare id on-demand; retry through the region's system profile.
    if (isAwsCallError(err, 'validation') && /inference profile/i.test(err.message) && ref.kind === 'model') {
      const profileId = `${profilePrefixFor(c.region)}.${c.baseModelId}`;
      try {
        await runtime.converse(profileId, 'Reply with OK.', c.callOptions);
        return { ok: true, detail: `Converse on ${profileId} succeeded` };
      } catch (again) {
        return { ok: false, detail: `Converse on ${profileId} failed: ${messageOf(again)}` };
      }
    }
    return { ok: false, detail: `Converse on ${target} failed: ${messageOf(err)}` };
  }
}
