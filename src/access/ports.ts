// Ports the access use cases depend on. Domain shapes only: src/aws adapts the SDK to these.

export interface FoundationModelInfo {
  modelId: string;
  modelArn: string;
  modelName?: string;
  providerName?: string;
  /** `ACTIVE` | `LEGACY`, kept open in case AWS adds stages. */
  lifecycle?: string;
  /** `ON_DEMAND`, `PROVISIONED`, and (outside the SDK enum) `INFERENCE_PROFILE`. */
  inferenceTypes: string[];
}

export interface ModelAvailability {
  modelId: string;
  agreementStatus: 'AVAILABLE' | 'PENDING' | 'NOT_AVAILABLE' | 'ERROR';
  agreementError?: string;
  authorizationStatus?: 'AUTHORIZED' | 'NOT_AUTHORIZED';
  entitlementAvailability?: 'AVAILABLE' | 'NOT_AVAILABLE';
  regionAvailability?: 'AVAILABLE' | 'NOT_AVAILABLE';
}

export interface AgreementOffer {
  offerToken: string;
  offerId?: string;
  termsUrl?: string;
  /** Readable rate-card lines, e.g. `input_tokens: 0.003 per 1K tokens`. */
  pricing: string[];
}

export interface InferenceProfileInfo {
  id: string;
  arn: string;
  name: string;
  type?: string;
  /** Foundation-model ARNs it routes to (one per destination region). */
  modelArns: string[];
}

/** Per-call options: aborting `signal` stops the HTTP request itself (it fails as AwsCallError kind `timeout`). */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface BedrockControlPort {
  getFoundationModel(modelId: string, options?: CallOptions): Promise<FoundationModelInfo>;
  listFoundationModels(options?: CallOptions): Promise<FoundationModelInfo[]>;
  getInferenceProfile(idOrArn: string, options?: CallOptions): Promise<InferenceProfileInfo>;
  getAvailability(modelId: string, options?: CallOptions): Promise<ModelAvailability>;
  listOffers(modelId: string, options?: CallOptions): Promise<AgreementOffer[]>;
  /** Resolves when AWS accepted the request (202); throws AwsCallError kind `conflict` if one is in flight. */
  createAgreement(modelId: string, offerToken: string, options?: CallOptions): Promise<void>;
  /** Whether the account (or its organisation) has the Anthropic use-case form on file. */
  getUseCase(options?: CallOptions): Promise<{ onFile: boolean }>;
  putUseCase(formData: Uint8Array, options?: CallOptions): Promise<void>;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

export interface AssumeRoleRequest {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  durationSeconds?: number;
}

export interface AssumedSession {
  credentials: SessionCredentials;
  arn: string;
  sourceIdentity?: string;
}

export interface IdentityPort {
  getCallerIdentity(options?: CallOptions): Promise<CallerIdentity>;
  assumeRole(request: AssumeRoleRequest, options?: CallOptions): Promise<AssumedSession>;
}

export interface RuntimePort {
  /** A minimal Converse call: proves the caller can invoke the model now. */
  converse(modelId: string, prompt: string, options?: CallOptions): Promise<{ text: string; stopReason?: string }>;
}

/** Whose credentials a call runs with. */
export type Principal =
  | { kind: 'default' }
  | {
      kind: 'role';
      roleArn: string;
      externalId?: string;
      /** The session's RoleSessionName, SourceIdentity and tags (CloudTrail shows who and why). */
      sessionName?: string;
      sourceIdentity?: string;
      tags?: Record<string, string>;
    }
  | { kind: 'session'; credentials: SessionCredentials };

/** Builds (and caches) the ports for a region and principal. */
export interface AwsPorts {
  control(region: string, as: Principal): BedrockControlPort;
  runtime(region: string, as: Principal): RuntimePort;
  identity(region: string, as: Principal): IdentityPort;
}

/** Time, injectable so tests and benchmarks control waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    }),
};
