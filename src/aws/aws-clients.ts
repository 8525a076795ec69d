// AwsPorts built from real SDK v3 clients: one client per (service, region, principal), reused for the process.
// Endpoints follow the SDK's own env convention (AWS_ENDPOINT_URL_<SERVICE_ID>, then AWS_ENDPOINT_URL), read from
// the injected env so tests and the CLI can point at the local fake without touching process.env.
// Role principals get their credentials from the SDK's fromTemporaryCredentials (AssumeRole with ExternalId,
// SourceIdentity and session tags); each client caches them and refreshes them before they expire.
import { BedrockClient, type BedrockClientConfig } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
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
}

export interface AwsClients extends AwsPorts {
  /** Closes every client (HTTP/2 sessions would otherwise keep the process alive). */
  destroy(): void;
}

/** Static keys or a provider function, as the SDK accepts them. */
export type BotCredentials = NonNullable<BedrockClientConfig['credentials']>;
type StaticCredentials = SessionCredentials | { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type RolePrincipal = Extract<Principal, { kind: 'role' }>;

type AnyClient = BedrockClient | BedrockRuntimeClient | STSClient;
type Service = 'bedrock' | 'bedrock-runtime' | 'sts';

const ENDPOINT_VAR: Record<Service, string> = {
  bedrock: 'AWS_ENDPOINT_URL_BEDROCK',
  'bedrock-runtime': 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  sts: 'AWS_ENDPOINT_URL_STS',
};

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const env = options.env ?? process.env;
  const maxAttempts = options.maxAttempts ?? 3;
  const clients = new Map<string, AnyClient>();
  const defaultCredentials = options.credentials ?? credentialsFromEnv(env);

  const endpointFor = (service: Service) => env[ENDPOINT_VAR[service]] || env.AWS_ENDPOINT_URL || undefined;

  const credentialsFor = (region: string, as: Principal) => {
    if (as.kind === 'default') return defaultCredentials;
    if (as.kind === 'session') return as.credentials;
    return roleCredentials(region, as);
  };

  const keyOf = (service: Service, region: string, as: Principal) =>
    `${service}|${region}|${as.kind === 'default' ? 'default' : as.kind === 'role' ? roleKey(as) : as.credentials.accessKeyId}`;

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

  // Assumed with the bot's own credentials through the same STS endpoint; the client that holds the provider caches
  // the session and assumes the role again shortly before it expires.
  function roleCredentials(region: string, role: RolePrincipal) {
    const tags = Object.entries(role.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    return fromTemporaryCredentials({
      params: {
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName ?? options.readSessionName ?? 'bedrock-doctor-read',
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
        ...(role.sourceIdentity ? { SourceIdentity: role.sourceIdentity } : {}),
        ...(tags.length ? { Tags: tags } : {}),
      },
      ...(defaultCredentials ? { masterCredentials: defaultCredentials } : {}),
      clientConfig: { region, endpoint: endpointFor('sts'), maxAttempts, retryMode: 'standard' },
    });
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

/** One client per distinct session: a different source identity or tag set is a different principal. */
function roleKey(role: RolePrincipal): string {
  return JSON.stringify([role.roleArn, role.externalId, role.sessionName, role.sourceIdentity, role.tags]);
}
