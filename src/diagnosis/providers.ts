// Provider catalogue: model-id prefix → who sells the model and what first use needs.
// Shared by the diagnosis (pure) and the live status check. Facts from ../shared/reference/bedrock-api.md §7.

export interface Provider {
  /** The model-id prefix before the first dot, e.g. `anthropic` in `anthropic.claude-3-haiku-20240307-v1:0`. */
  id: string;
  name: string;
  /**
   * Sold through AWS Marketplace, so the first call subscribes the account and needs Marketplace rights.
   * `undefined` where AWS does not document it either way.
   */
  marketplace: boolean | undefined;
  /** Anthropic's first-time-use form (PutUseCaseForModelAccess) is needed once per account. */
  useCaseForm: boolean;
}

const PROVIDERS: readonly Provider[] = [
  { id: 'anthropic', name: 'Anthropic', marketplace: true, useCaseForm: true },
  { id: 'ai21', name: 'AI21 Labs', marketplace: true, useCaseForm: false },
  { id: 'cohere', name: 'Cohere', marketplace: true, useCaseForm: false },
  { id: 'stability', name: 'Stability AI', marketplace: true, useCaseForm: false },
  { id: 'writer', name: 'Writer', marketplace: true, useCaseForm: false },
  { id: 'luma', name: 'Luma AI', marketplace: true, useCaseForm: false },
  { id: 'twelvelabs', name: 'TwelveLabs', marketplace: true, useCaseForm: false },
  { id: 'amazon', name: 'Amazon', marketplace: false, useCaseForm: false },
  { id: 'deepseek', name: 'DeepSeek', marketplace: false, useCaseForm: false },
  { id: 'mistral', name: 'Mistral AI', marketplace: false, useCaseForm: false },
  { id: 'meta', name: 'Meta', marketplace: false, useCaseForm: false },
  { id: 'qwen', name: 'Qwen', marketplace: false, useCaseForm: false },
  { id: 'openai', name: 'OpenAI', marketplace: false, useCaseForm: false },
  { id: 'moonshot', name: 'Moonshot AI', marketplace: undefined, useCaseForm: false },
  { id: 'moonshotai', name: 'Moonshot AI', marketplace: undefined, useCaseForm: false },
  { id: 'minimax', name: 'MiniMax', marketplace: undefined, useCaseForm: false },
  { id: 'google', name: 'Google', marketplace: undefined, useCaseForm: false },
  { id: 'nvidia', name: 'NVIDIA', marketplace: undefined, useCaseForm: false },
];

const BY_ID = new Map(PROVIDERS.map((p) => [p.id, p]));

/** Providers whose models need no Marketplace rights, named for explanations. */
export const NO_MARKETPLACE_PROVIDER_NAMES = PROVIDERS.filter((p) => p.marketplace === false).map((p) => p.name);

export function allProviders(): readonly Provider[] {
  return PROVIDERS;
}

/** Geo prefixes of system-defined cross-region inference profiles (`us.anthropic…`, `global.amazon…`). */
export const INFERENCE_PROFILE_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'] as const;

/**
 * Resolves a model reference (model id, geo-prefixed profile id, foundation-model or inference-profile ARN)
 * to the foundation model id. Returns undefined when nothing model-like can be derived
 * (an application-inference-profile ARN hides its model behind an opaque id).
 */
export function baseModelIdOf(ref: string): string | undefined {
  let id = ref.trim();
  const arn = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d{0,12}:(foundation-model|inference-profile)\/(.+)$/.exec(id);
  if (arn?.[2]) id = arn[2];
  else if (id.startsWith('arn:')) return undefined;
  const firstDot = id.indexOf('.');
  if (firstDot <= 0) return undefined;
  const head = id.slice(0, firstDot);
  if ((INFERENCE_PROFILE_PREFIXES as readonly string[]).includes(head) && id.indexOf('.', firstDot + 1) > 0) {
    id = id.slice(firstDot + 1);
  }
  return id;
}

/** The provider of a model reference, when its prefix is known. */
export function providerOf(ref: string): Provider | undefined {
  const base = baseModelIdOf(ref);
  if (!base) return undefined;
  return BY_ID.get(base.slice(0, base.indexOf('.')));
}

/** The provider by its Bedrock provider name as ListFoundationModels reports it (`Anthropic`, `Mistral AI`). */
export function providerByName(name: string): Provider | undefined {
  const wanted = name.trim().toLowerCase();
  return PROVIDERS.find((p) => p.name.toLowerCase() === wanted || p.id === wanted.replace(/[^a-z0-9]/g, ''));
}
