// The steps a user would copy: commands and policies filled with the facts of the message.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Diagnosis } from '../../src/diagnosis/types.js';

const allCode = (d: Diagnosis) => d.steps.map((s) => s.code?.content ?? '').join('\n');
const allText = (d: Diagnosis) =>
  [d.title, d.explanation, ...d.steps.flatMap((s) => [s.title, s.detail ?? '']), ...d.notes].join('\n');

const MARKETPLACE =
  'An error occurred (AccessDeniedException) when calling the InvokeModel operation: Model access is denied due to User: arn:aws:sts::111122223333:assumed-role/genai-app-role/worker-7 is not authorized to perform: aws-marketplace:ViewSubscriptions on resource: * because no identity-based policy allows the aws-marketplace:ViewSubscriptions action. Your AWS Marketplace subscription for this model cannot be completed at this time. model=us.anthropic.claude-sonnet-4-20250514-v1:0 region=us-west-2';

describe('remediation — Marketplace', () => {
  const d = diagnose(MARKETPLACE);

  it('offers the admin activation first, as the recommended path', () => {
    expect(d.steps[0]?.recommended).toBe(true);
    expect(d.steps[0]?.detail).toContain('Request activation');
    expect(d.steps[0]?.code?.content).toBe(
      'bedrock-doctor activate anthropic.claude-sonnet-4-20250514-v1:0 --region us-west-2',
    );
    expect(d.activationCanHelp).toBe(true);
  });

  it('gives the least-privilege policy for the role named in the assumed-role ARN', () => {
    const code = allCode(d);
    expect(code).toContain(
      'aws iam put-role-policy --role-name genai-app-role --policy-name BedrockMarketplaceSubscribe',
    );
    for (const action of [
      'aws-marketplace:Subscribe',
      'aws-marketplace:Unsubscribe',
      'aws-marketplace:ViewSubscriptions',
    ]) {
      expect(code).toContain(`"${action}"`);
    }
    expect(code).toContain('"aws:CalledViaLast": "bedrock.amazonaws.com"');
    expect(code).toContain('"Resource": "*"');
  });

  it('fills the agreement commands with the foundation model id and region, use-case form first for Anthropic', () => {
    const code = allCode(d);
    const useCase = code.indexOf('aws bedrock put-use-case-for-model-access');
    const offers = code.indexOf(
      'aws bedrock list-foundation-model-agreement-offers --model-id anthropic.claude-sonnet-4-20250514-v1:0 --region us-west-2',
    );
    const create = code.indexOf(
      'aws bedrock create-foundation-model-agreement --model-id anthropic.claude-sonnet-4-20250514-v1:0 --offer-token "$OFFER" --region us-west-2',
    );
    expect(useCase).toBeGreaterThanOrEqual(0);
    expect(offers).toBeGreaterThan(useCase);
    expect(create).toBeGreaterThan(offers);
  });

  it('notes the settle time, the providers without Marketplace and the EULA/SCP caveat', () => {
    const notes = d.notes.join('\n');
    expect(notes).toContain('~2 minutes');
    expect(notes).toContain('Amazon, DeepSeek, Mistral AI, Meta, Qwen and OpenAI');
    expect(notes).toContain('EULA');
    expect(notes).toContain('SCP');
    expect(d.explanation).toContain('on the caller’s behalf');
  });

  it('uses placeholders, not guesses, when the message names no model, region or principal', () => {
    const bare = diagnose(
      'AccessDeniedException: Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.',
    );
    const code = allCode(bare);
    expect(code).toContain('--role-name <role-name>');
    expect(code).toContain('--model-id <model-id> --region <region>');
    expect(code).not.toContain('put-use-case-for-model-access'); // provider unknown: no Anthropic-only step
  });

  it('attaches to a user with put-user-policy', () => {
    const user = diagnose(
      'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: aws-marketplace:Subscribe on resource: * because no identity-based policy allows the aws-marketplace:Subscribe action',
    );
    expect(allCode(user)).toContain('aws iam put-user-policy --user-name alice');
  });

  it('points an Identity Center role to its permission set', () => {
    const sso = diagnose(
      'User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice@example.com is not authorized to perform: aws-marketplace:Subscribe on resource: *',
    );
    expect(allCode(sso)).toContain('aws sso-admin put-inline-policy-to-permission-set');
  });
});

describe('remediation — IAM and guard policies', () => {
  it('allows invoke on the profile and the foundation model in every region', () => {
    const d = diagnose(
      'User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0 because no identity-based policy allows the bedrock:InvokeModel action',
    );
    const code = allCode(d);
    expect(d.category).toBe('iam_permission_missing');
    expect(code).toContain('"bedrock:InvokeModel"');
    expect(code).toContain('"bedrock:InvokeModelWithResponseStream"');
    expect(code).toContain('"arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"');
    expect(code).toContain(
      '"arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0"',
    );
    expect(code).toContain('aws iam put-role-policy --role-name app');
    expect(code).toContain('aws iam simulate-principal-policy');
  });

  it('scopes other named actions to the named resource', () => {
    const d = diagnose(
      'User: arn:aws:sts::123456789012:assumed-role/AmazonBedrockExecutionRoleForAgents_x/s is not authorized to perform: bedrock:Retrieve on resource: arn:aws:bedrock:us-west-2:123456789012:knowledge-base/KB123 because no identity-based policy allows the bedrock:Retrieve action',
    );
    expect(allCode(d)).toContain('"Resource": "arn:aws:bedrock:us-west-2:123456789012:knowledge-base/KB123"');
    expect(allText(d)).toContain('service role Bedrock assumes for your agent');
  });

  it('sends SCP denies to the Organizations administrators with the policy id', () => {
    const d = diagnose(
      'User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0 with an explicit deny in a service control policy: arn:aws:organizations::999988887777:policy/o-abc/service_control_policy/p-12345678',
    );
    expect(d.cause).toBe('explicit_deny.scp');
    const code = allCode(d);
    expect(code).toContain(
      'aws organizations list-policies-for-target --target-id 111122223333 --filter SERVICE_CONTROL_POLICY',
    );
    expect(code).toContain('aws organizations describe-policy --policy-id p-12345678');
    expect(d.activationCanHelp).toBe(false);
  });

  it('looks at the permissions boundary of the role for a boundary denial', () => {
    const d = diagnose(
      'User: arn:aws:sts::111122223333:assumed-role/bounded-role/s is not authorized to perform: bedrock:InvokeModel on resource: * because no permissions boundary allows the bedrock:InvokeModel action',
    );
    expect(allCode(d)).toContain('aws iam get-role --role-name bounded-role --query Role.PermissionsBoundary');
  });

  it('suggests a geographic profile when a global profile hits a region-restricting SCP', () => {
    const d = diagnose(
      'User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0 with an explicit deny in a service control policy',
    );
    expect(d.steps[0]?.title).toContain('geographic inference profile');
    expect(d.steps[0]?.detail).toContain('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('quotes role names that are not shell-safe', () => {
    const d = diagnose(
      'User: arn:aws:sts::{account-id}:assumed-role/agent-role-{id}/s is not authorized to perform: bedrock:InvokeModel on resource: * because no identity-based policy allows the bedrock:InvokeModel action',
    );
    expect(allCode(d)).toContain("--role-name 'agent-role-{id}'");
  });
});

describe('remediation — other categories', () => {
  it('finds the inference profile for the model in the caller region', () => {
    const d = diagnose(
      'Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn’t supported. https://bedrock-runtime.eu-central-1.amazonaws.com',
    );
    const code = allCode(d);
    expect(code).toContain('aws bedrock list-inference-profiles --region eu-central-1');
    expect(code).toContain("contains(inferenceProfileId, 'anthropic.claude-3-7-sonnet-20250219-v1:0')");
    expect(code).toContain('modelId = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0"');
  });

  it('submits the Anthropic use-case form with the CLI in the right region', () => {
    const d = diagnose('Model use case details have not been submitted for this account. region=ap-northeast-1');
    expect(allCode(d)).toContain(
      'aws bedrock put-use-case-for-model-access --form-data fileb://use-case.json --region ap-northeast-1',
    );
    expect(d.activationCanHelp).toBe(true);
  });

  it('refreshes credentials for the named profile', () => {
    const d = diagnose(
      'The SSO session associated with this profile has expired or is otherwise invalid. --profile data-dev',
    );
    expect(allCode(d)).toContain('aws sso login --profile data-dev');
  });

  it('points quota problems at Service Quotas for the region', () => {
    const d = diagnose(
      'ThrottlingException: Too many tokens, please wait before trying again. region_name="us-east-1"',
    );
    expect(allCode(d)).toContain('aws service-quotas list-service-quotas --service-code bedrock --region us-east-1');
  });

  it('lists active successors of a Legacy model from the same provider', () => {
    const d = diagnose(
      'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days. modelId: anthropic.claude-v2:1 --region us-east-1',
    );
    expect(d.facts.inactivityDays).toBe(30);
    expect(allCode(d)).toContain('aws bedrock list-foundation-models --region us-east-1 --by-provider anthropic');
    expect(d.explanation).toContain('30 days');
  });
});
