// The fake AWS's world: accounts, principals and their policies, the model catalogue, agreements, faults, call log.
// Built in code by tests; the HTTP layer (server.ts) only translates wire requests into calls on it.
import { randomBytes } from 'node:crypto';
import { type AuthRequest, evaluatePolicies, type PolicyDocument } from './iam-policy.js';

export type LifecycleStage = 'ACTIVE' | 'LEGACY' | 'EOL';

export interface FakeModel {
  modelId: string;
  modelName: string;
  /** As ListFoundationModels reports it: `Anthropic`, `Amazon`, `Mistral AI`, … */
  providerName: string;
  regions: string[];
  lifecycle?: LifecycleStage;
  /** Default `['ON_DEMAND']`; profile-only models use `['INFERENCE_PROFILE']`. */
  inferenceTypes?: string[];
  /** Sold through AWS Marketplace (needs an agreement). Default: true unless the provider is first-party. */
  marketplace?: boolean;
  /** Anthropic's first-time-use form is needed. Default: providerName === 'Anthropic'. */
  useCaseForm?: boolean;
  /** When set, an agreement for this model settles to ERROR with this message instead of AVAILABLE. */
  agreementError?: string;
  /** Marketplace model with no public offer in any region (ListFoundationModelAgreementOffers is empty). */
  offerless?: boolean;
  /** Legal terms URL of the model's public offer. */
  termsUrl?: string;
}

export interface FakeInferenceProfile {
  id: string;
  name: string;
  regions: string[];
  modelId: string;
  type?: 'SYSTEM_DEFINED' | 'APPLICATION';
}

export interface PolicySpec {
  /** Allowed actions; globs like `bedrock:*`, `aws-marketplace:*`, `*`. */
  allow: string[];
  /** Explicitly denied actions (identity-based policy). */
  deny?: string[];
}

export interface FakePrincipal {
  kind: 'user' | 'role';
  accountId: string;
  name: string;
  arn: string;
  /** AIDA… / AROA… */
  uniqueId: string;
  policy: PolicySpec;
  /** Roles: principal ARNs (users, roles, or `arn:aws:iam::ACCT:root`) the trust policy lets assume the role. */
  trustedPrincipals?: string[];
  /** Roles: the ExternalId the trust policy requires. */
  externalId?: string;
  /** Roles: trust policy allows sts:SetSourceIdentity / sts:TagSession (default true). */
  allowSourceIdentity?: boolean;
  allowTagSession?: boolean;
  /** Policy documents as a template writes them; when set, they decide instead of `policy` (see iam-policy.ts). */
  identityPolicies?: PolicyDocument[];
  /** Roles: the trust policy document; when set, AssumeRole is decided by it instead of the fields above. */
  trustPolicy?: PolicyDocument;
}

export interface FakeAccount {
  id: string;
  /** Actions an organisation SCP denies for everyone in the account. */
  scpDeny: string[];
  /** Anthropic use-case form (decoded formData), once submitted. */
  useCaseForm?: Buffer;
  /** The AWS Organizations id the account belongs to (`aws:ResourceOrgID`, `aws:PrincipalOrgID`). */
  orgId?: string;
}

/** One decision of the identity-policy evaluator: which principal was allowed or refused which action on what. */
export interface AuthorizationRecord {
  principalArn: string;
  action: string;
  resource: string;
  allowed: boolean;
}

export type AgreementStatus = 'PENDING' | 'AVAILABLE' | 'ERROR';
export interface Agreement {
  status: AgreementStatus;
  settleAt: number;
  outcome: { status: 'AVAILABLE' } | { status: 'ERROR'; errorMessage: string };
  errorMessage?: string;
  createdBy: string;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  principal: FakePrincipal;
  /** Assumed-role sessions: the session name, its ARN, expiry, SourceIdentity and tags. */
  session?: { name: string; arn: string; expiresAt: number; sourceIdentity?: string; tags: Record<string, string> };
}

export type FaultSpec =
  | { kind: 'throttle'; times?: number }
  | { kind: 'server-error'; times?: number }
  | { kind: 'access-denied'; times?: number }
  | { kind: 'latency'; ms: number; times?: number }
  /** Any AWS error by its wire code, e.g. a ConflictException that creates nothing. */
  | { kind: 'error'; code: string; status: number; message?: string; times?: number }
  /** Never answers: the request stays open until the client gives up (see `world.disconnects`). */
  | { kind: 'hang'; times?: number };

export interface CallRecord {
  operation: string;
  region: string;
  callerArn?: string;
  accessKeyId?: string;
  /** Path label or key request fields, for assertions. */
  params: Record<string, unknown>;
  status: number;
  errorCode?: string;
  /** performance.now() when the request arrived and when it was answered (for call-depth measurements). */
  startedAt: number;
  endedAt: number;
}

export interface WorldOptions {
  /** How long a new agreement stays PENDING before it settles. Default 50 ms. */
  settleMs?: number;
  /** Added to every call (benchmarks). Default 0. */
  latencyMs?: number;
  now?: () => number;
}

const FIRST_PARTY = new Set(['amazon', 'deepseek', 'mistral ai', 'meta', 'qwen', 'openai']);

export class FakeAwsWorld {
  readonly accounts = new Map<string, FakeAccount>();
  readonly principals = new Map<string, FakePrincipal>();
  readonly credentials = new Map<string, Credential>();
  readonly models: FakeModel[] = [];
  readonly profiles: FakeInferenceProfile[] = [];
  /** key `${accountId}|${modelId}`: subscribing in one region covers every region (model-access docs). */
  readonly agreements = new Map<string, Agreement>();
  /** Offer tokens handed out by ListFoundationModelAgreementOffers: token → model id. */
  readonly offerTokens = new Map<string, string>();
  readonly calls: CallRecord[] = [];
  readonly faults = new Map<string, FaultSpec[]>();
  /** Every identity-policy decision, in order (what a deploy contract test checks grants against). */
  readonly authorizations: AuthorizationRecord[] = [];
  /** Operations whose client closed the connection before the answer (an aborted or timed-out SDK call). */
  readonly disconnects: string[] = [];
  settleMs: number;
  latencyMs: number;
  now: () => number;

  constructor(options: WorldOptions = {}) {
    this.settleMs = options.settleMs ?? 50;
    this.latencyMs = options.latencyMs ?? 0;
    this.now = options.now ?? Date.now;
  }

  addAccount(id: string, options: { scpDeny?: string[]; orgId?: string } = {}): FakeAccount {
    const account: FakeAccount = {
      id,
      scpDeny: options.scpDeny ?? [],
      ...(options.orgId ? { orgId: options.orgId } : {}),
    };
    this.accounts.set(id, account);
    return account;
  }

  /** An IAM user with long-term access keys; returns the keys to sign with. */
  addUser(
    accountId: string,
    name: string,
    policy: PolicySpec,
  ): { arn: string; accessKeyId: string; secretAccessKey: string } {
    this.requireAccount(accountId);
    const principal: FakePrincipal = {
      kind: 'user',
      accountId,
      name,
      arn: `arn:aws:iam::${accountId}:user/${name}`,
      uniqueId: `AIDA${randomId(17)}`,
      policy,
    };
    this.principals.set(principal.arn, principal);
    const cred: Credential = { accessKeyId: `AKIA${randomId(16)}`, secretAccessKey: randomSecret(), principal };
    this.credentials.set(cred.accessKeyId, cred);
    return { arn: principal.arn, accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey };
  }

  addRole(
    accountId: string,
    name: string,
    spec: PolicySpec &
      Pick<
        FakePrincipal,
        | 'trustedPrincipals'
        | 'externalId'
        | 'allowSourceIdentity'
        | 'allowTagSession'
        | 'identityPolicies'
        | 'trustPolicy'
      >,
  ): string {
    this.requireAccount(accountId);
    const { allow, deny, ...trust } = spec;
    const principal: FakePrincipal = {
      kind: 'role',
      accountId,
      name,
      arn: `arn:aws:iam::${accountId}:role/${name}`,
      uniqueId: `AROA${randomId(17)}`,
      policy: { allow, deny },
      ...trust,
    };
    this.principals.set(principal.arn, principal);
    return principal.arn;
  }

  addModel(model: FakeModel): this {
    this.models.push(model);
    return this;
  }

  addInferenceProfile(profile: FakeInferenceProfile): this {
    this.profiles.push(profile);
    return this;
  }

  /** Puts an account's agreement straight into a state (a world that already activated a model). */
  setAgreement(accountId: string, modelId: string, status: AgreementStatus, errorMessage?: string): void {
    const outcome =
      status === 'ERROR'
        ? { status: 'ERROR' as const, errorMessage: errorMessage ?? 'Agreement failed.' }
        : { status: 'AVAILABLE' as const };
    this.agreements.set(`${accountId}|${modelId}`, {
      status,
      settleAt: status === 'PENDING' ? this.now() + this.settleMs : this.now(),
      outcome,
      errorMessage: status === 'ERROR' ? (outcome.status === 'ERROR' ? outcome.errorMessage : undefined) : undefined,
      createdBy: 'world',
    });
  }

  putUseCaseForm(accountId: string, form: unknown): void {
    this.requireAccount(accountId).useCaseForm = Buffer.from(JSON.stringify(form));
  }

  /** The next `times` calls (default: all) of `operation` fail or slow down. */
  injectFault(operation: string, fault: FaultSpec): void {
    const list = this.faults.get(operation) ?? [];
    list.push(fault);
    this.faults.set(operation, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  callCount(operation: string, filter: (c: CallRecord) => boolean = () => true): number {
    return this.calls.filter((c) => c.operation === operation && filter(c)).length;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  /** The longest chain of calls that ran one after another (1 = all concurrent). */
  callDepth(calls: readonly CallRecord[] = this.calls): number {
    const sorted = [...calls].sort((a, b) => a.endedAt - b.endedAt);
    const depth: number[] = [];
    sorted.forEach((c, i) => {
      let before = 0;
      for (let j = 0; j < i; j++) {
        const p = sorted[j];
        if (p && p.endedAt <= c.startedAt) before = Math.max(before, depth[j] ?? 0);
      }
      depth[i] = before + 1;
    });
    return Math.max(0, ...depth);
  }

  /** The agreement's state now, settling PENDING ones whose delay has passed. */
  agreement(accountId: string, modelId: string): Agreement | undefined {
    const a = this.agreements.get(`${accountId}|${modelId}`);
    if (a?.status === 'PENDING' && this.now() >= a.settleAt) {
      a.status = a.outcome.status;
      if (a.outcome.status === 'ERROR') a.errorMessage = a.outcome.errorMessage;
    }
    return a;
  }

  createAgreement(accountId: string, model: FakeModel, createdBy: string): Agreement {
    const agreement: Agreement = {
      status: 'PENDING',
      settleAt: this.now() + this.settleMs,
      outcome: model.agreementError ? { status: 'ERROR', errorMessage: model.agreementError } : { status: 'AVAILABLE' },
      createdBy,
    };
    this.agreements.set(`${accountId}|${model.modelId}`, agreement);
    return agreement;
  }

  isMarketplace(model: FakeModel): boolean {
    return model.marketplace ?? !FIRST_PARTY.has(model.providerName.toLowerCase());
  }

  needsUseCaseForm(model: FakeModel): boolean {
    return model.useCaseForm ?? model.providerName === 'Anthropic';
  }

  /** A model by id, foundation-model ARN, or inference-profile id/ARN (resolved to its model). */
  findModel(ref: string): { model: FakeModel; profile?: FakeInferenceProfile } | undefined {
    const arn = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d{0,12}:(foundation-model|inference-profile)\/(.+)$/.exec(ref);
    const id = arn?.[2] ?? ref;
    const model = this.models.find((m) => m.modelId === id);
    if (model) return { model };
    const profile = this.profiles.find((p) => p.id === id);
    const viaProfile = profile && this.models.find((m) => m.modelId === profile.modelId);
    return viaProfile ? { model: viaProfile, profile } : undefined;
  }

  /** Evaluates the principal's policies like IAM does: explicit deny (SCP, then identity) beats allow. */
  authorize(
    principal: FakePrincipal,
    callerArn: string,
    action: string,
    resource: string,
    context: AuthRequest['context'] = {},
  ): string | undefined {
    const account = this.accounts.get(principal.accountId);
    const base = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`;
    if (account?.scpDeny.some((p) => matches(p, action))) {
      return `${base} with an explicit deny in a service control policy`;
    }
    if (principal.identityPolicies) {
      const { decision } = evaluatePolicies(principal.identityPolicies, {
        action,
        resource,
        context: { 'aws:PrincipalArn': principal.arn, 'aws:PrincipalAccount': principal.accountId, ...context },
      });
      this.authorizations.push({ principalArn: principal.arn, action, resource, allowed: decision === 'allow' });
      if (decision === 'explicit-deny') return `${base} with an explicit deny in an identity-based policy`;
      if (decision === 'implicit-deny') return `${base} because no identity-based policy allows the ${action} action`;
      return undefined;
    }
    if (principal.policy.deny?.some((p) => matches(p, action))) {
      return `${base} with an explicit deny in an identity-based policy`;
    }
    if (!principal.policy.allow.some((p) => matches(p, action))) {
      return `${base} because no identity-based policy allows the ${action} action`;
    }
    return undefined;
  }

  /** Mints temporary credentials for an assumed-role session. */
  mintSession(
    role: FakePrincipal,
    sessionName: string,
    durationSeconds: number,
    sourceIdentity: string | undefined,
    tags: Record<string, string>,
  ): Credential {
    const cred: Credential = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomSecret(),
      sessionToken: randomBytes(48).toString('base64'),
      principal: role,
      session: {
        name: sessionName,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
        expiresAt: this.now() + durationSeconds * 1000,
        sourceIdentity,
        tags,
      },
    };
    this.credentials.set(cred.accessKeyId, cred);
    return cred;
  }

  /** Assumed-role sessions minted so far (what CloudTrail would show: who, as whom, with which tags). */
  sessions(): NonNullable<Credential['session']>[] {
    return [...this.credentials.values()].flatMap((c) => (c.session ? [c.session] : []));
  }

  private requireAccount(id: string): FakeAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`fake AWS world: add account ${id} first`);
    return account;
  }
}

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  return re.test(action);
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomId(length: number): string {
  return [...randomBytes(length)].map((b) => UPPER[b % UPPER.length]).join('');
}

function randomSecret(): string {
  return randomBytes(30).toString('base64');
}
