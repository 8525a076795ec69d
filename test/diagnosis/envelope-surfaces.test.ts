// The envelope families, continued: credentials from providers, wrappers around wrappers, the new Bedrock surfaces
// and policy wordings, and more wordings of each family as other tools print them.
import { describe } from 'vitest';
import { type Case, itDiagnoses, REQ, ROLE } from '../support/diagnosis-cases.js';

const credentialProviders: Case[] = [
  {
    name: 'Go SDK v2: no instance role found through IMDS',
    text: 'operation error Bedrock Runtime: InvokeModel, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.instance_role_unavailable',
    facts: { operation: 'InvokeModel' },
  },
  {
    name: 'Java SDK v2: the provider chain found nothing (an SdkClientException that is about credentials)',
    text: 'software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(), ProfileCredentialsProvider(profileName=default), ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) : [InstanceProfileCredentialsProvider(): Failed to load credentials from IMDS.]',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.instance_role_unavailable',
  },
  {
    name: 'boto3 in a container: the container role endpoint failed',
    text: 'botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from container-role: Error retrieving metadata: Received non 200 response (500) from container metadata: Internal Server Error',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.instance_role_unavailable',
  },
  {
    name: 'Go SDK v2: a named profile that fails to load',
    text: 'operation error Bedrock Runtime: Converse, failed to get shared config profile, bedrock-dev',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.profile_failed',
  },
  {
    name: 'boto3: a source profile without credentials',
    text: 'botocore.exceptions.InvalidConfigError: The source profile "base" must have credentials.',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.profile_failed',
  },
  {
    name: 'Go SDK v2: the cached SSO token could not be refreshed',
    text: `operation error Bedrock Runtime: Converse, get identity: get credentials: failed to refresh cached credentials, refresh cached SSO token failed, unable to refresh SSO token, operation error SSO OIDC: CreateToken, https response error StatusCode: 400, RequestID: ${REQ}, InvalidGrantException:`,
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.sso_session_expired',
  },
  {
    name: 'a Bedrock API key (bearer token) that is no longer valid',
    text: 'AI_APICallError: {"Message":"Authentication failed: Please make sure your API Key is valid."} (status 403)',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.api_key_invalid',
    says: [/AWS_BEARER_TOKEN_BEDROCK/],
  },
];

const wrappers: Case[] = [
  {
    name: 'OpenAI-compatible client around an aws-bedrock error',
    text: `openai.BadRequestError: Error code: 400 - {'error': {'message': 'aws-bedrock error: A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.', 'type': None, 'param': None, 'code': '400'}}`,
    category: 'client_misconfigured',
    cause: 'client_misconfigured.conversation_shape',
    facts: { httpStatus: 400 },
  },
  {
    name: 'Go SDK v2: an AccessDeniedException that names only the caller',
    text: `operation error Bedrock Runtime: InvokeModel, https response error StatusCode: 403, RequestID: ${REQ}, AccessDeniedException: User ${ROLE} is not authorized to access this resource`,
    category: 'iam_permission_missing',
    facts: { principalArn: ROLE, httpStatus: 403, operation: 'InvokeModel' },
  },
  {
    name: 'Claude Code: SCP deny on an inference profile (an approved-models list of foundation models)',
    text: 'API Error (403 {"Message":"User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_abc/alice is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0 with an explicit deny in a service control policy"})',
    category: 'explicit_deny',
    cause: 'explicit_deny.scp_inference_profile',
    says: [/NotResource/, /inference-profile/],
  },
  {
    name: 'AWS CLI get-use-case-for-model-access: the form was never filled',
    text: 'aws bedrock get-use-case-for-model-access\n\nAn error occurred (ResourceNotFoundException) when calling the GetUseCaseForModelAccess operation: Model use case details have not been submitted for this account.',
    category: 'anthropic_use_case_form_missing',
    facts: { operation: 'GetUseCaseForModelAccess' },
  },
];

const newSurfaces: Case[] = [
  {
    name: 'bedrock-mantle (OpenAI-compatible endpoint) denial',
    text: `openai.PermissionDeniedError: Error code: 403 - {'error': {'message': 'User: ${ROLE} is not authorized to perform: bedrock-mantle:CreateInference on resource: arn:aws:bedrock-mantle:us-east-1:111122223333:project/default because no identity-based policy allows the bedrock-mantle:CreateInference action', 'type': 'permission_error'}}`,
    category: 'iam_permission_missing',
    cause: 'iam_permission_missing.mantle',
    facts: { actions: ['bedrock-mantle:CreateInference'], region: 'us-east-1' },
    says: [/AmazonBedrockMantleInferenceAccess/],
  },
  {
    name: 'Claude Platform on AWS (aws-external-anthropic) denial',
    text: `anthropic.PermissionDeniedError: Error code: 403 - {'type': 'error', 'error': {'type': 'permission_error', 'message': 'User: ${ROLE} is not authorized to perform: aws-external-anthropic:CreateInference on resource: arn:aws:aws-external-anthropic:us-west-2:111122223333:workspace/wrkspc_01abc because no identity-based policy allows the aws-external-anthropic:CreateInference action'}}`,
    category: 'iam_permission_missing',
    cause: 'iam_permission_missing.external_anthropic',
    facts: { actions: ['aws-external-anthropic:CreateInference'] },
    says: [/aws-external-anthropic:CreateInference/],
  },
  {
    name: 'guardrail enforced by an Organizations Bedrock policy: ApplyGuardrail missing',
    text: `An error occurred (AccessDeniedException) when calling the Converse operation: User: ${ROLE} is not authorized to perform: bedrock:ApplyGuardrail on resource: arn:aws:bedrock:us-east-1:999988887777:guardrail/gr4abc123xyz because no identity-based policy allows the bedrock:ApplyGuardrail action`,
    category: 'iam_permission_missing',
    cause: 'iam_permission_missing.guardrail',
    facts: { actions: ['bedrock:ApplyGuardrail'] },
    says: [/guardrail/i],
  },
  {
    name: 'explicit deny naming the identity-based policy ARN',
    text: `An error occurred (AccessDeniedException) when calling the InvokeModel operation: User: ${ROLE} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-opus-20240229-v1:0 with an explicit deny in an identity-based policy: arn:aws:iam::111122223333:policy/DenyExpensiveModels`,
    category: 'explicit_deny',
    cause: 'explicit_deny.identity_policy',
    facts: { deniedBy: 'identity-based policy', policyArn: 'arn:aws:iam::111122223333:policy/DenyExpensiveModels' },
    says: [/get-policy-version[\s\S]*DenyExpensiveModels|DenyExpensiveModels[\s\S]*get-policy-version/],
  },
  {
    name: 'explicit deny naming the permissions boundary ARN',
    text: `User: ${ROLE} is not authorized to perform: bedrock:Converse on resource: arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0 with an explicit deny in a permissions boundary: arn:aws:iam::111122223333:policy/DevBoundary`,
    category: 'explicit_deny',
    cause: 'explicit_deny.permissions_boundary',
    facts: { deniedBy: 'permissions boundary', policyArn: 'arn:aws:iam::111122223333:policy/DevBoundary' },
    says: [/DevBoundary/],
  },
  {
    name: 'implicit deny of a session policy naming its ARN',
    text: `User: ${ROLE} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 because no session policy allows the bedrock:InvokeModel action: arn:aws:iam::111122223333:policy/BrokerSessionScope`,
    category: 'explicit_deny',
    cause: 'explicit_deny.session_policy',
    facts: { deniedBy: 'session policy', policyArn: 'arn:aws:iam::111122223333:policy/BrokerSessionScope' },
    says: [/BrokerSessionScope/],
  },
  {
    name: 'an AWS managed policy named as the denying identity policy',
    text: `User: ${ROLE} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 with an explicit deny in an identity-based policy: arn:aws:iam::aws:policy/AWSDenyAll`,
    category: 'explicit_deny',
    facts: { policyArn: 'arn:aws:iam::aws:policy/AWSDenyAll' },
  },
  {
    name: 'use-case form: the 15-minute wait is said',
    text: 'ResourceNotFoundException: Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model. If you have already filled out the form, try again in 15 minutes.',
    category: 'anthropic_use_case_form_missing',
    facts: { retryAfterMinutes: 15 },
    says: [/15 minutes/],
  },
  {
    name: 'Legacy model in the 15-day wording',
    text: 'AccessDeniedException: Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days. Please upgrade to an active model on Amazon Bedrock',
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.legacy',
    facts: { inactivityDays: 15 },
    says: [/15 days/],
  },
];

const moreWordings: Case[] = [
  {
    name: 'Java SDK v2: no region from any provider',
    text: 'software.amazon.awssdk.core.exception.SdkClientException: Unable to load region from any of the providers in the chain software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.region_missing',
  },
  {
    name: 'Go SDK v2: a region is required',
    text: 'operation error Bedrock Runtime: InvokeModel, failed to resolve service endpoint, an AWS region is required, but was not found',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.region_missing',
  },
  {
    name: '.NET: no RegionEndpoint configured',
    text: 'Amazon.Runtime.AmazonClientException: No RegionEndpoint or ServiceURL configured',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.region_missing',
  },
  {
    name: 'Ruby: MissingCredentialsError',
    text: 'Aws::Errors::MissingCredentialsError: unable to sign request without credentials set',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.not_found',
  },
  {
    name: 'a ResourceNotFoundException is not a DNS failure (NOTFOUND inside the code name)',
    text: 'ResourceNotFoundException: Could not find the model us.anthropic.claude-9-v1:0',
    category: 'model_not_found_or_eol',
    facts: { modelId: 'us.anthropic.claude-9-v1:0' },
  },
  {
    name: 'OpenAI-compatible endpoint: the model does not exist',
    text: "openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `anthropic.claude-3-5-sonnet` does not exist or you do not have access to it.', 'type': 'invalid_request_error'}}",
    category: 'model_not_found_or_eol',
    facts: { httpStatus: 404 },
  },
  {
    name: 'LiteLLM: an assistant message in the final position (prefill with tools)',
    text: 'litellm.exceptions.BadRequestError: litellm.BadRequestError: BedrockException - {"message":"The model returned the following errors: Your API request included an `assistant` message in the final position, which would pre-fill the `assistant` response. When using tools, pre-filling the `assistant` response is not supported."}',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.conversation_shape',
  },
  {
    name: 'a field the model does not take',
    text: "ValidationException: This model doesn't support the stopSequences field. Remove stopSequences and try again.",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.request_parameter',
  },
  {
    name: 'TLS inspection by a corporate proxy',
    text: 'botocore.exceptions.SSLError: SSL validation failed for https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in certificate chain',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.tls_untrusted',
    says: [/AWS_CA_BUNDLE/],
  },
  {
    name: 'LiteLLM: cannot connect to the runtime host',
    text: 'litellm.APIConnectionError: BedrockException - Cannot connect to host bedrock-runtime.us-east-1.amazonaws.com:443 ssl:default [Connect call failed]',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.endpoint_unreachable',
  },
  {
    name: 'Envoy: upstream connect error',
    text: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.endpoint_unreachable',
  },
  {
    name: 'a tokens-per-minute limit',
    text: 'You have exceeded your maximum tokens per minute. Please wait before trying again.',
    category: 'throttling_or_quota',
  },
  {
    name: 'an expired Bedrock API key is a key to regenerate, not a session to refresh',
    text: 'The bearer token has expired',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.api_key_invalid',
  },
  {
    name: 'Terraform: waiting for a knowledge base that failed',
    text: "Error: waiting for Bedrock Agent Knowledge Base (kb-1) create: unexpected state 'FAILED', wanted target 'ACTIVE'. last error: The knowledge base storage configuration provided is invalid... Bad Authorization",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.resource_definition',
  },
  {
    name: 'SCP deny naming the SCP ARN: the ARN is the policy, its id is described',
    text: 'AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0 with an explicit deny in a service control policy: arn:aws:organizations::999988887777:policy/o-abc/service_control_policy/p-123',
    category: 'explicit_deny',
    cause: 'explicit_deny.scp',
    facts: { policyArn: 'arn:aws:organizations::999988887777:policy/o-abc/service_control_policy/p-123' },
    says: [/describe-policy --policy-id p-123/],
  },
  {
    name: 'a bare status code in a wrapper: "(429)"',
    text: 'API Error: Request rejected (429) - Too many tokens per day, please wait before trying again.',
    category: 'throttling_or_quota',
    facts: { httpStatus: 429 },
  },
];

describe('credentials from providers', () => itDiagnoses(credentialProviders));
describe('wrappers around wrappers', () => itDiagnoses(wrappers));
describe('new surfaces and wordings', () => itDiagnoses(newSurfaces));
describe('more wordings of the same families', () => itDiagnoses(moreWordings));
