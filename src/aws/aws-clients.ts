// AwsPorts built from real SDK v3 clients: one client per (service, region, principal), reused for the process.
// Endpoints follow the SDK's own env convention (AWS_ENDPOINT_URL_<SERVICE_ID>, then AWS_ENDPOINT_URL), read from
// the injected env so tests and the CLI can point at the local fake without touching process.env.
import { BedrockClient, type BedrockClientConfig } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsPorts, Principal, SessionCredentials } from '../access/ports.js';
import { createBedrockControl } from './bedrock-control.js';
import { createBedrockRuntime } from './bedrock-runtime.js';
import { createStsIdentity } from './sts-identity.js';

export interface AwsClientOptions {
  /** Environment to read endpoint overrides and static credentials from. @default process.env */
  env?: Record<string, string | undefined>;
  /** SDK attempts per call (standard retry mode). @default 3 */
  maxAttempts?: number;
  /** The bot's own credentials; otherwise the env keys, otherwise the SDK's default credential chain. */
  credentials?: BotCredentials;
  /** RoleSessionName for read-role sessions. @default 'bedrock-doctor-read' */
  readSessionName?: string;
  now?: () => number;
}

export interface AwsClients extends AwsPorts {
  /** Closes every client (HTTP/2 sessions would otherwise keep the process alive). */
  destroy(): void;
}

/** Static keys or a provider function, as the SDK accepts them. */
export type BotCredentials = NonNullable<BedrockClientConfig['credentials']>;
type StaticCredentials = SessionCredentials | { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type CredentialProvider = () => Promise<StaticCredentials>;

type AnyClient = BedrockClient | BedrockRuntimeClient | STSClient;
type Service = 'bedrock' | 'bedrock-runtime' | 'sts';

const ENDPOINT_VAR: Record<Service, string> = {
  bedrock: 'AWS_ENDPOINT_URL_BEDROCK',
  'bedrock-runtime': 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  sts: 'AWS_ENDPOINT_URL_STS',
};

/** Refresh assumed read-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const env = options.env ?? process.env;
  const maxAttempts = options.maxAttempts ?? 3;
  const now = options.now ?? Date.now;
  const clients = new Map<string, AnyClient>();
  const roleProviders = new Map<string, CredentialProvider>();
  const defaultCredentials = options.credentials ?? credentialsFromEnv(env);

  const endpointFor = (service: Service) => env[ENDPOINT_VAR[service]] || env.AWS_ENDPOINT_URL || undefined;

  const credentialsFor = (region: string, as: Principal) => {
    if (as.kind === 'default') return defaultCredentials;
    if (as.kind === 'session') return as.credentials;
    return roleProvider(region, as.roleArn, as.externalId);
  };

  const keyOf = (service: Service, region: string, as: Principal) =>
    `${service}|${region}|${as.kind === 'default' ? 'default' : as.kind === 'role' ? as.roleArn : as.credentials.accessKeyId}`;

  function client<C extends AnyClient>(
    service: Service,
    region: string,
    as: Principal,
    make: (config: object) => C,
  ): C {
    const key = keyOf(service, region, as);
    let c = clients.get(key) as C | undefined;
    if (!c) {
      c = make({
        region,
        credentials: credentialsFor(region, as),
        endpoint: endpointFor(service),
        maxAttempts,
        retryMode: 'standard',
      });
      clients.set(key, c);
    }
    return c;
  }

  const sts = (region: string, as: Principal) => client('sts', region, as, (cfg) => new STSClient(cfg));

  // Read-role credentials: assumed with the bot's own credentials, cached and refreshed before expiry.
  function roleProvider(region: string, roleArn: string, externalId?: string): CredentialProvider {
    const key = `${region}|${roleArn}`;
    const existing = roleProviders.get(key);
    if (existing) return existing;
    let cached: SessionCredentials | undefined;
    let inFlight: Promise<SessionCredentials> | undefined;
    const provider: CredentialProvider = async () => {
      if (cached?.expiration && cached.expiration.getTime() - now() > REFRESH_MARGIN_MS) return cached;
      inFlight ??= createStsIdentity(sts(region, { kind: 'default' }))
        .assumeRole({ roleArn, externalId, sessionName: options.readSessionName ?? 'bedrock-doctor-read' })
        .then((s) => {
          cached = s.credentials;
          return s.credentials;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    };
    roleProviders.set(key, provider);
    return provider;
  }

  return {
    control: (region, as) => createBedrockControl(client('bedrock', region, as, (cfg) => new BedrockClient(cfg))),
    runtime: (region, as) =>
      createBedrockRuntime(client('bedrock-runtime', region, as, (cfg) => new BedrockRuntimeClient(cfg))),
    identity: (region, as) => createStsIdentity(sts(region, as)),
    destroy: () => {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
  };
}

function credentialsFromEnv(env: Record<string, string | undefined>): StaticCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined; // the SDK's default chain (profiles, SSO, IMDS, …)
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}
