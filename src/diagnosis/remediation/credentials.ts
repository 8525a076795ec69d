// The credentials are missing, expired or rejected: refresh or fix them; permissions are not the problem.
import { sh } from '../iam-policies.js';
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext } from './context.js';

interface CredentialText {
  title: string;
  explanation: string;
  steps: RemediationStep[];
}

/** Each flavour's words, built only for the flavour asked. */
type Texts = Record<string, () => CredentialText>;

export function credentialsRemedy(ctx: RemedyContext): Remedy {
  const check = {
    title: 'Confirm the credentials work',
    code: bash(`aws sts get-caller-identity ${ctx.profileOpt}`.trimEnd()),
  };
  const byFlavour: Texts = { ...keyTexts(ctx, check), ...providerTexts(ctx, check), ...machineRoleTexts(check) };
  const entry = (byFlavour[ctx.flavour] ?? byFlavour.token_invalid)?.();
  return {
    title: entry?.title ?? 'AWS credentials problem',
    explanation: entry?.explanation ?? 'AWS did not accept the credentials.',
    steps: entry?.steps ?? [check],
    notes: ['Never paste access keys or session tokens into chat; this explanation only needs the error text.'],
    activationCanHelp: false,
  };
}

/** Keys and sessions AWS rejected: expired, unknown, mis-signed, or signed with a wrong clock. */
function keyTexts(ctx: RemedyContext, check: RemediationStep): Texts {
  const p = ctx.profileOpt;
  return {
    token_expired: () => ({
      title: 'AWS credentials expired',
      explanation:
        'The temporary credentials (session token) used for the call have expired. Nothing is wrong with permissions; refresh the credentials.',
      steps: [
        {
          title: 'Refresh the session',
          detail:
            'SSO: aws sso login. Assumed role: assume it again. Long-running apps should use the SDK’s refreshing credential providers, not copied keys.',
          code: bash(`aws sso login ${p}`.trimEnd()),
          recommended: true,
        },
        check,
      ],
    }),
    sso_session_expired: () => ({
      title: 'IAM Identity Center (SSO) session expired or missing',
      explanation: 'The SSO token cached by the AWS CLI/SDK is expired or was never created for this profile.',
      steps: [{ title: 'Log in again', code: bash(`aws sso login ${p}`.trimEnd()), recommended: true }, check],
    }),
    token_invalid: () => ({
      title: 'AWS rejected the credentials (invalid access key or security token)',
      explanation:
        'The access key is unknown to AWS, or a session token is missing, stale or from another partition. Common ' +
        'causes: old AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN variables overriding the profile, ' +
        'temporary keys used without their session token, or a region not enabled for the account.',
      steps: [
        {
          title: 'Look for stale credentials in the environment',
          code: bash(
            'env | grep -E "^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)=" | cut -d= -f1\naws configure list',
          ),
          recommended: true,
        },
        {
          title: 'Refresh them (SSO login, re-assume the role, or rotate the access key)',
          code: bash(`aws sso login ${p}`.trimEnd()),
        },
        check,
      ],
    }),
    signature_mismatch: () => ({
      title: 'Request signature does not match (wrong secret key or altered request)',
      explanation:
        'The secret access key does not belong to the access key id, or something (a proxy, a custom endpoint) changed the signed request.',
      steps: [{ title: 'Re-enter or rotate the access key pair, then retry', code: bash('aws configure list') }, check],
    }),
    clock_skew: () => ({
      title: 'Request signature expired: the machine clock is off',
      explanation:
        'SigV4 signatures are valid for a few minutes; a client clock that is wrong by more than that makes every request fail.',
      steps: [
        {
          title: 'Sync the system clock (NTP) and retry',
          code: bash('date -u   # compare with the real UTC time'),
          recommended: true,
        },
      ],
    }),
  };
}

/** Providers that could not deliver credentials: profiles, instance and container roles, none at all, API keys. */
function providerTexts(ctx: RemedyContext, check: RemediationStep): Texts {
  const profile = ctx.clues.profileName;
  return {
    profile_not_found: () => ({
      title: `AWS profile ${profile ? `"${profile}" ` : ''}not found`,
      explanation:
        'The code or AWS_PROFILE names a profile that is not in ~/.aws/config or ~/.aws/credentials on this machine.',
      steps: [
        { title: 'List the profiles that exist', code: bash('aws configure list-profiles'), recommended: true },
        {
          title: 'Create the profile or fix the name',
          code: bash(`aws configure sso${profile ? ` --profile ${sh(profile)}` : ''}`),
        },
      ],
    }),
    not_found: () => ({
      title: 'No AWS credentials found',
      explanation:
        'The SDK looked in the environment, the shared config files, SSO and the instance/container role and found nothing.',
      steps: [
        {
          title: 'Configure credentials (SSO recommended)',
          code: bash('aws configure sso\nexport AWS_PROFILE=<profile>'),
          recommended: true,
        },
        check,
      ],
    }),
    api_key_invalid: () => ({
      title: 'The Bedrock API key is invalid or expired',
      explanation:
        'Calls authenticated with a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) fail when the key is expired, revoked or mistyped.',
      steps: [
        {
          title: 'Generate a new API key in the Bedrock console and update AWS_BEARER_TOKEN_BEDROCK',
          recommended: true,
        },
      ],
    }),

    profile_failed: () => ({
      title: `AWS profile ${profile ? `"${profile}" ` : ''}could not be loaded`,
      explanation:
        'The profile exists but does not resolve to credentials: its source_profile has no keys, a role_arn lacks ' +
        'its source, or the file holds only part of a key pair.',
      steps: [
        {
          title: 'Show how the profile resolves',
          code: bash(`aws configure list${profile ? ` --profile ${sh(profile)}` : ''}`),
          recommended: true,
        },
        {
          title: 'Fix the chain: give the source profile credentials, or log in with SSO',
          detail: 'Check source_profile, role_arn, credential_source and sso_session in ~/.aws/config.',
        },
        check,
      ],
    }),
  };
}

/** The machine's own role (EC2 instance metadata, the ECS/EKS container endpoint) delivered nothing. */
function machineRoleTexts(check: RemediationStep): Texts {
  return {
    instance_role_unavailable: () => ({
      title: 'The instance or container role gave no credentials',
      explanation:
        'The SDK asked the machine for its role credentials (EC2 instance metadata, the ECS/EKS container ' +
        'endpoint) and got none: no role is attached, IMDSv2 needs one more network hop (containers on EC2), or ' +
        'the metadata endpoint is blocked. On a laptop this means no credentials were configured at all.',
      steps: [
        {
          title: 'Attach a role to the instance, task or pod (or check the one attached)',
          code: bash(
            'TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")\n' +
              'curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/iam/security-credentials/',
          ),
          recommended: true,
        },
        {
          title: 'In containers on EC2, allow two hops to the metadata service',
          code: bash(
            'aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-put-response-hop-limit 2',
          ),
        },
        check,
      ],
    }),
  };
}
