// The organisation's deny-list (BLOCKED_MODELS): model-id patterns with `*` wildcards, each with its reason.
import type { BlockedModel } from '../config.js';

/** The first entry whose pattern matches the model id (case-insensitive), if any. */
export function findBlock(blocked: readonly BlockedModel[], modelId: string): BlockedModel | undefined {
  return blocked.find((b) => patternToRegExp(b.pattern).test(modelId));
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}
