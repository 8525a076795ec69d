// Secrets Manager (AWS JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`): string secrets by ARN or name.
import { type Caller, FakeServiceError } from './protocol.js';
import type { FakeAwsWorld } from './world.js';

export interface FakeSecret {
  arn: string;
  name: string;
  secretString: string;
  /** How many times GetSecretValue returned it (caching assertions). */
  reads: number;
}

export class FakeSecretsManager {
  readonly secrets = new Map<string, FakeSecret>();

  /** Stores a secret under a complete ARN (name plus Secrets Manager's 6-character suffix). */
  putSecret(accountId: string, name: string, secretString: string, region = 'us-east-1'): FakeSecret {
    const arn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-AbC123`;
    const secret: FakeSecret = { arn, name, secretString, reads: 0 };
    this.secrets.set(arn, secret);
    return secret;
  }
}

const states = new WeakMap<FakeAwsWorld, FakeSecretsManager>();

export function secretsManagerOf(world: FakeAwsWorld): FakeSecretsManager {
  let state = states.get(world);
  if (!state) {
    state = new FakeSecretsManager();
    states.set(world, state);
  }
  return state;
}

export function handleSecretsManager(
  world: FakeAwsWorld,
  caller: Caller,
  operation: string,
  input: Record<string, unknown>,
): Record<string, unknown> {
  if (operation !== 'GetSecretValue') {
    throw new FakeServiceError('InvalidRequestException', 400, `Unsupported: ${operation}`, 'Message');
  }
  const id = typeof input.SecretId === 'string' ? input.SecretId : '';
  const secret = [...secretsManagerOf(world).secrets.values()].find((s) => s.arn === id || s.name === id);
  if (!secret) {
    throw new FakeServiceError(
      'ResourceNotFoundException',
      400,
      "Secrets Manager can't find the specified secret.",
      'Message',
    );
  }
  const denied = world.authorize(caller.credential.principal, caller.arn, 'secretsmanager:GetSecretValue', secret.arn);
  if (denied) throw new FakeServiceError('AccessDeniedException', 400, denied, 'Message');
  secret.reads += 1;
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: '00000000-0000-0000-0000-000000000001',
    SecretString: secret.secretString,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1_700_000_000,
  };
}
