// IdentityPort over the real @aws-sdk/client-sts client.
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { IdentityPort } from '../access/ports.js';
import { call, sendOptions } from './sdk-errors.js';

export function createStsIdentity(client: STSClient): IdentityPort {
  return {
    getCallerIdentity: (options) =>
      call('GetCallerIdentity', 'sts:GetCallerIdentity', async () => {
        const out = await client.send(new GetCallerIdentityCommand({}), sendOptions(options));
        return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
      }),
    assumeRole: (req, options) =>
      call('AssumeRole', 'sts:AssumeRole', async () => {
        const tags = Object.entries(req.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
        const out = await client.send(
          new AssumeRoleCommand({
            RoleArn: req.roleArn,
            RoleSessionName: req.sessionName,
            ExternalId: req.externalId,
            SourceIdentity: req.sourceIdentity,
            Tags: tags.length ? tags : undefined,
            DurationSeconds: req.durationSeconds,
          }),
          sendOptions(options),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
          throw new Error('AssumeRole returned no credentials');
        }
        return {
          credentials: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration: c.Expiration,
          },
          arn: out.AssumedRoleUser?.Arn ?? '',
          sourceIdentity: out.SourceIdentity,
        };
      }),
  };
}
