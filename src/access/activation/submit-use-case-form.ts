// Step 3: Anthropic's use-case form, submitted only when the provider needs it and none is on file for the account.
import { messageOf } from '../../errors.js';
import type { BedrockControlPort } from '../ports.js';
import { loadUseCaseForm } from '../use-case-form.js';
import { ActivationError, ActivationErrorReason } from './activation-errors.js';
import type { ActivationPlan } from './availability.js';
import { awsStep, type RunContext } from './run-context.js';
import type { ActivationResult } from './types.js';

export async function submitUseCaseForm(
  c: RunContext,
  control: BedrockControlPort,
  { skipWrites, why }: ActivationPlan,
  result: ActivationResult,
): Promise<void> {
  const { baseModelId, emit } = c;
  if (!c.useCaseForm) emit('use_case_form', 'skipped', 'not needed for this provider');
  else if (skipWrites) emit('use_case_form', 'skipped', why);
  else {
    emit('use_case_form', 'started');
    const { onFile } = await awsStep(c, 'use_case_form', () => control.getUseCase(c.callOptions));
    if (onFile) emit('use_case_form', 'skipped', 'a form is already on file for this account');
    else {
      // The file is read only now, when AWS has no form on file, and still before any write call: a broken
      // file must not block an account that already has a form, nor cost a half-done activation.
      const formFile = c.deps.config.activation.useCaseFormFile;
      if (!formFile) {
        emit('use_case_form', 'failed', 'no form configured');
        throw new ActivationError(
          ActivationErrorReason.UseCaseFormMissing,
          `${baseModelId} needs Anthropic's use-case form, none is on file for account ${c.account.alias}, and no ` +
            "form template is configured. Set USE_CASE_FORM_FILE to your organisation's vetted form.",
          { step: 'use_case_form' },
        );
      }
      let formData: Uint8Array;
      try {
        formData = loadUseCaseForm(formFile, c.deps.readFile);
      } catch (err) {
        emit('use_case_form', 'failed', messageOf(err));
        throw err;
      }
      await c.beforeWrite();
      await awsStep(c, 'use_case_form', () => control.putUseCase(formData, c.callOptions));
      result.useCaseFormSubmitted = true;
      emit('use_case_form', 'done', 'form submitted');
    }
  }
}
