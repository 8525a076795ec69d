// The model and the region a message names: explicit fields, request paths, ARNs, then bare model-id tokens.
import { findArns, modelIdInArn, type ParsedArn } from './arns.js';
import { REGION_PATTERN } from './aws-names.js';
import type { Has } from './extract-envelope.js';
import { allProviders, INFERENCE_PROFILE_PREFIXES } from './providers.js';

const PROVIDER_ALT = allProviders()
  .map((p) => p.id)
  .sort((a, b) => b.length - a.length)
  .join('|');
const GEO_ALT = [...INFERENCE_PROFILE_PREFIXES].sort((a, b) => b.length - a.length).join('|');
const PROVIDER_DOTS = allProviders().map((p) => `${p.id}.`);
const MODEL_TOKEN_RE = new RegExp(
  `(?<![\\w.-])((?:(?:${GEO_ALT})\\.)?(?:${PROVIDER_ALT})\\.([a-z0-9][a-z0-9-]*(?:\\.[a-z0-9][a-z0-9-]*)*)(?::[a-z0-9-]+){0,2})`,
  'g',
);
const MODEL_FIELD_RE =
  /(?:model[ _-]?id(?:entifier)?|--model-id(?:entifier)?)["']?\s*[:=]?\s*["']?([A-Za-z0-9][\w.:/@{}-]{2,2047})/gi;

const REGION_ALONE = new RegExp(`^${REGION_PATTERN}$`);
const REGION_HOST_RE = new RegExp(`\\.(${REGION_PATTERN})\\.(?:amazonaws\\.com|api\\.aws)`);
const REGION_FIELD_RE = new RegExp(
  `(?:region(?:_name)?|awsRegion|AWS_REGION|AWS_DEFAULT_REGION)["']?\\s*[:=]\\s*["']?(${REGION_PATTERN})(?![\\w-])`,
  'i',
);
const REGION_OPTION_RE = new RegExp(`--region[ =](${REGION_PATTERN})(?![\\w-])`);
const REGION_TOKEN_RE = new RegExp(`(?<![\\w-])(${REGION_PATTERN})(?![\\w-])`);

function cleanModelRef(raw: string): string {
  return raw.replace(/[.:,]+$/, '');
}

function looksLikeModelRef(ref: string): boolean {
  return ref.startsWith('arn:')
    ? modelArnOk(ref)
    : /^[a-z0-9-]+\.[a-z0-9]/.test(ref) && !/\.(?:com|aws|net|org)$/.test(ref);
}

function modelArnOk(ref: string): boolean {
  return /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model)\//.test(
    ref,
  );
}

/** A model id as written: from an explicit field, a request path, a Bedrock ARN, then a bare model-id token. */
export function findModelId(text: string, has: Has, arns: ParsedArn[]): string | undefined {
  if (has('model')) {
    MODEL_FIELD_RE.lastIndex = 0;
    for (let m = MODEL_FIELD_RE.exec(text), n = 0; m && n < 32; m = MODEL_FIELD_RE.exec(text), n++) {
      const ref = cleanModelRef(m[1] ?? '');
      if (!looksLikeModelRef(ref)) continue;
      if (ref.startsWith('arn:')) {
        const arn = arns.find((a) => a.arn === ref) ?? findArns(ref)[0];
        const id = arn ? modelIdInArn(arn) : undefined;
        if (id) return id;
        continue;
      }
      return ref;
    }
    const fromPath = modelFromPath(text);
    if (fromPath) return fromPath;
  }
  for (const arn of arns) {
    const id = modelIdInArn(arn);
    if (id) return id;
  }
  if (!has(...PROVIDER_DOTS)) return undefined;
  MODEL_TOKEN_RE.lastIndex = 0;
  for (let m = MODEL_TOKEN_RE.exec(text), n = 0; m && n < 64; m = MODEL_TOKEN_RE.exec(text), n++) {
    // The part after the provider must look like a model name (`claude-v2`, `nova-pro-v1`), not `com` or `bedrock`.
    if (m[1] && m[2] && /[0-9-]/.test(m[2])) return m[1];
  }
  return undefined;
}

/** Runtime request paths: `/model/<id>/invoke`, `/model/<id>/converse-stream` (already percent-decoded). */
function modelFromPath(text: string): string | undefined {
  let from = 0;
  for (let n = 0; n < 16; n++) {
    const start = text.indexOf('/model/', from);
    if (start < 0) return undefined;
    from = start + 7;
    const window = text.slice(from, from + 600);
    const m = /^(\S{1,560}?)\/(?:invoke|converse|count-tokens|async-invoke)/.exec(window);
    if (!m?.[1]) continue;
    const ref = m[1];
    if (ref.startsWith('arn:')) {
      const arn = findArns(ref)[0];
      const id = arn ? modelIdInArn(arn) : undefined;
      if (id) return id;
    } else if (/^[\w.:-]+$/.test(ref)) {
      return ref;
    }
  }
  return undefined;
}

export function findRegion(text: string, arns: ParsedArn[]): string | undefined {
  for (const arn of arns) if (REGION_ALONE.test(arn.region)) return arn.region;
  return (
    REGION_HOST_RE.exec(text)?.[1] ??
    REGION_FIELD_RE.exec(text)?.[1] ??
    REGION_OPTION_RE.exec(text)?.[1] ??
    REGION_TOKEN_RE.exec(text)?.[1]
  );
}

/** The principal as AWS printed it before "is not authorized to perform" (an ARN or an obvious placeholder). */
