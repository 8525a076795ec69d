// Model references as users type them: model ids, geo-prefixed inference-profile ids, or ARNs. Validated before any
// AWS call, against the pattern Bedrock's agreement/availability APIs enforce (bedrock-api.md §2).
import { describeLookalike, screenLookalikes } from '../diagnosis/lookalikes.js';
import { baseModelIdOf, INFERENCE_PROFILE_PREFIXES } from '../diagnosis/providers.js';
import { ErrorCode, UserFacingError } from '../errors.js';

const MODEL_ID =
  /^[a-z0-9-]{1,63}[.][a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}(\/[a-z0-9]{12}|)$/;
const BEDROCK_ARN =
  /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):(\d{12})?:(foundation-model|inference-profile|application-inference-profile)\/([a-zA-Z0-9.:/-]{1,200})$/;

export interface ModelRef {
  /** As typed, trimmed. */
  ref: string;
  kind: 'model' | 'profile' | 'application-profile';
  /** The foundation model id, when it can be read off the reference (not for application profiles). */
  baseModelId?: string;
  /** Region named in an ARN, if any. */
  arnRegion?: string;
  /** Account named in an ARN, if any (foundation-model ARNs usually leave it empty). */
  arnAccount?: string;
}

export function parseModelRef(input: string): ModelRef {
  const ref = input.trim();
  const arn = BEDROCK_ARN.exec(ref);
  if (arn) {
    const [, region, account, type, id = ''] = arn;
    // Only what the ARN states: an absent field stays absent, so the target falls back to the defaults.
    const named = { ...(region ? { arnRegion: region } : {}), ...(account ? { arnAccount: account } : {}) };
    if (type === 'application-inference-profile') return { ref, kind: 'application-profile', ...named };
    if (type === 'inference-profile') return { ref, kind: 'profile', baseModelId: baseModelIdOf(id), ...named };
    if (!MODEL_ID.test(id)) throw invalid(ref);
    return { ref, kind: 'model', baseModelId: id, ...named };
  }
  if (ref.length > 140 || !MODEL_ID.test(ref)) throw invalid(ref);
  const head = ref.slice(0, ref.indexOf('.'));
  const isProfile = (INFERENCE_PROFILE_PREFIXES as readonly string[]).includes(head);
  return { ref, kind: isProfile ? 'profile' : 'model', baseModelId: baseModelIdOf(ref) ?? ref };
}

/** The geo prefix of the system inference profiles serving a region (`us.`, `eu.`, `apac.`, …). */
export function profilePrefixFor(region: string): string {
  if (region.startsWith('us-gov-')) return 'us-gov';
  const geo = region.split('-')[0] ?? '';
  if (geo === 'us' || geo === 'eu' || geo === 'ca') return geo;
  if (geo === 'ap') return 'apac';
  return 'global';
}

function invalid(ref: string): UserFacingError {
  const shown = ref.length > 60 ? `${ref.slice(0, 57)}…` : ref;
  // A reference that only looks right (a Cyrillic `а`, fullwidth digits) is named as such: the user sees why.
  const lookalike = screenLookalikes(ref).lookalikes[0];
  return new UserFacingError(
    ErrorCode.InvalidInput,
    `${lookalike ? `${describeLookalike(lookalike, (s) => `"${s}"`)} ` : ''}` +
      `"${shown}" is not a Bedrock model id. Use a model id such as anthropic.claude-3-haiku-20240307-v1:0, ` +
      'an inference-profile id such as us.anthropic.claude-3-haiku-20240307-v1:0, or a Bedrock ARN ' +
      '(lower-case, at most 140 characters for ids).',
  );
}
