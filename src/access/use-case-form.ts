// The organisation's vetted Anthropic use-case form: read from a JSON file and checked before any AWS call.
// Field limits from the PutUseCaseForModelAccess docs (bedrock-api.md §2): the payload is 10..16,384 bytes.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ActivationError, ActivationErrorReason } from './activation/activation-errors.js';

export const useCaseFormSchema = z
  .object({
    companyName: z.string().trim().min(1).max(128),
    companyWebsite: z.string().trim().min(1).max(128),
    /** "0" internal users, "1" external, "2" both. */
    intendedUsers: z.enum(['0', '1', '2']),
    industryOption: z.string().trim().min(1).max(128),
    otherIndustryOption: z.string().max(128).default(''),
    useCases: z.string().trim().min(1).max(8192),
  })
  .strict();
export type UseCaseForm = z.infer<typeof useCaseFormSchema>;

export const FORM_MIN_BYTES = 10;
export const FORM_MAX_BYTES = 16_384;

/** Loads and validates the form file; returns the exact bytes to submit as `formData`. */
export function loadUseCaseForm(
  path: string,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Uint8Array {
  let raw: string;
  try {
    raw = readFile(path);
  } catch {
    throw invalid(`could not read the use-case form file ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid(`the use-case form file ${path} is not valid JSON`);
  }
  const parsed = useCaseFormSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
    throw invalid(`the use-case form file ${path} is not a valid form (${problems})`);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(parsed.data));
  if (bytes.length < FORM_MIN_BYTES || bytes.length > FORM_MAX_BYTES) {
    throw invalid(`the use-case form is ${bytes.length} bytes; AWS accepts ${FORM_MIN_BYTES} to ${FORM_MAX_BYTES}`);
  }
  return bytes;
}

function invalid(what: string): ActivationError {
  return new ActivationError(
    ActivationErrorReason.InvalidUseCaseForm,
    `Cannot submit the Anthropic use-case form: ${what}. Fix USE_CASE_FORM_FILE (see README "Status and activation").`,
  );
}
