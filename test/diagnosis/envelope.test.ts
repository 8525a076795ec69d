// The families that a phrase list misses: the engine reads the error's envelope (error code, HTTP status, the
// SDK's or tool's frame) before the message, so a request-shape ValidationException, an account-level block, an IaC
// deploy error or a denial from a new Bedrock surface gets its category and an answer that says what to change.
// Texts are phrased as the tools print them (AWS's documented wording where public threads are too few).
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Category, Diagnosis, Facts } from '../../src/diagnosis/types.js';

interface Case {
  name: string;
  text: string;
  category: Category;
  cause?: string;
  facts?: Partial<Facts>;
  /** Words the user must read somewhere in the answer (title, explanation, steps or notes). */
  says?: RegExp[];
}

const ROLE = 'arn:aws:sts::111122223333:assumed-role/app-role/session-7';
const REQ = '7d3c1a52-9f0e-4b8e-8a61-5e2f0c1d7a19';

function answerText(d: Diagnosis): string {
  return [
    d.title,
    d.explanation,
    ...d.steps.flatMap((s) => [s.title, s.detail ?? '', s.code?.content ?? '']),
    ...d.notes,
  ].join('\n');
}

const requestShape: Case[] = [
  {
    name: 'Dify log: a conversation that does not start with a user message',
    text: '[bedrock] Error: ValidationException: A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.conversation_shape',
    facts: { exception: 'ValidationException' },
    says: [/user message/i],
  },
  {
    name: 'JS SDK error object: a blank text block in the conversation',
    text: `Error in handleSubmit: Error: {\n"name": "ValidationException",\n"$fault": "client",\n"$metadata": {\n"httpStatusCode": 400,\n"requestId": "${REQ}",\n"attempts": 1,\n"totalRetryDelay": 0\n},\n"message": "The text field in the ContentBlock object at messages.15.content.0 is blank. Add text to the text field, and try again."\n}`,
    category: 'client_misconfigured',
    cause: 'client_misconfigured.conversation_shape',
    facts: { exception: 'ValidationException', httpStatus: 400, requestId: REQ },
  },
  {
    name: '.NET: roles that do not alternate, under HttpErrorResponseException',
    text: `Amazon.BedrockRuntime.Model.ValidationException: The model returned the following errors: messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row\n ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type 'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.`,
    category: 'client_misconfigured',
    cause: 'client_misconfigured.conversation_shape',
    facts: { exception: 'ValidationException' },
  },
  {
    name: 'Go SDK v2: client-side serialization of an empty model id',
    text: 'operation error Bedrock Runtime: Converse, serialization failed: input member ModelId must not be empty',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.client_validation',
    facts: { operation: 'Converse' },
    says: [/ModelId/],
  },
  {
    name: 'Java SDK v2: SdkClientException while marshalling the request',
    text: "software.amazon.awssdk.core.exception.SdkClientException: Unable to marshall request to JSON: Parameter 'modelId' must not be null",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.client_validation',
  },
  {
    name: 'Swift SDK: a parameter beyond the model limit',
    text: 'AWSBedrockRuntime.ValidationException(properties: AWSBedrockRuntime.ValidationException.Properties(message: Optional("The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.")))',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.request_parameter',
    facts: { exception: 'ValidationException' },
  },
  {
    name: 'boto3: a model that does not support tool use',
    text: "botocore.exceptions.ClientError: An error occurred (ValidationException) when calling the Converse operation: This model doesn't support tool use.",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.request_parameter',
    facts: { exception: 'ValidationException', operation: 'Converse' },
  },
  {
    name: 'LiteLLM proxy: an inference-profile id it cannot route',
    text: 'litellm.proxy.proxy_server.chat_completion(): Exception occured - litellm.NotFoundError: BedrockException - Bedrock HTTPX: Unknown provider=eu, model=eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.model_string_rejected',
    facts: { modelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0' },
    says: [/bedrock\/converse\//],
  },
  {
    name: 'bedrock-access-gateway: "Unsupported model …, please use models API"',
    text: '{"detail":"Unsupported model anthropic.claude-v2, please use models API to get a list of supported models"}',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.model_string_rejected',
  },
  {
    name: 'OpenAI-compatible gateway: a model that does not serve the chat completions API',
    text: "openai.BadRequestError: Error code: 400 - {'error': {'message': 'Model amazon.titan-embed-text-v2:0 does not support the /v1/chat/completions API', 'type': 'invalid_request_error'}}",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.api_not_supported_by_model',
    facts: { httpStatus: 400 },
  },
  {
    name: 'a ValidationException about a knowledge-base setting is a malformed request, not a model problem',
    text: 'An error occurred (ValidationException) when calling the StartIngestionJob operation: The knowledge base storage configuration provided is invalid... Dependency error document status code: 404, error message: no such index [bedrock-knowledge-base-default-index]',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.invalid_request',
    facts: { operation: 'StartIngestionJob' },
    says: [/storage configuration/],
  },
  {
    name: 'a ValidationException about the model id stays a model problem',
    text: 'An error occurred (ValidationException) when calling the InvokeModel operation: The provided model identifier is invalid.',
    category: 'model_not_found_or_eol',
  },
];

const accountBlocks: Case[] = [
  {
    name: 'a model not offered to the account, with the AWS Sales pointer',
    text: 'An error occurred (AccessDeniedException) when calling the InvokeModel operation: Anthropic Claude 3.7 Sonnet is not available for this account. You can explore other available models on Amazon Bedrock. For additional access options, contact AWS Sales at https://aws.amazon.com/contact-us/sales-support/',
    category: 'account_restricted',
    cause: 'account_restricted.model_not_offered',
    says: [/AWS Sales/],
  },
  {
    name: 'Bedrock model access not allowed for the account',
    text: `operation error Bedrock Runtime: Converse, https response error StatusCode: 403, RequestID: ${REQ}, AccessDeniedException: Access to Bedrock models is not allowed for this account.`,
    category: 'account_restricted',
    cause: 'account_restricted.account_blocked',
    facts: { httpStatus: 403, operation: 'Converse', requestId: REQ },
  },
  {
    name: 'Anthropic models refused from an unsupported country',
    text: 'AccessDeniedException: Access to Anthropic models is not allowed from unsupported countries, regions, or territories. Please refer to https://www.anthropic.com/supported-countries for more information on the countries and regions Anthropic currently supports.',
    category: 'account_restricted',
    cause: 'account_restricted.unsupported_country',
    says: [/supported-countries|countries/],
  },
  {
    name: 'the same refusal inside a knowledge-base sync banner',
    text: `Sync failed: Encountered error: Call to Amazon Bedrock did not succeed: Access to Anthropic models is not allowed from unsupported countries, regions, or territories. (Service: BedrockRuntime, Status Code: 403, Request ID: ${REQ})`,
    category: 'account_restricted',
    cause: 'account_restricted.unsupported_country',
    facts: { httpStatus: 403, requestId: REQ },
  },
];

const iac: Case[] = [
  {
    name: 'CloudFormation: Bedrock resource types the region does not offer',
    text: 'Template format error: Unrecognized resource types: [AWS::Bedrock::Guardrail, AWS::Bedrock::GuardrailVersion]',
    category: 'region_unsupported',
    cause: 'region_unsupported.resource_type_not_in_region',
    says: [/AWS::Bedrock::Guardrail/],
  },
  {
    name: 'CDK deploy: the same error under ValidationError',
    text: '❌  RagStack failed: ValidationError: Template format error: Unrecognized resource types: [AWS::Bedrock::KnowledgeBase]',
    category: 'region_unsupported',
    cause: 'region_unsupported.resource_type_not_in_region',
  },
  {
    name: 'Terraform aws provider: the inner ValidationException decides (malformed resource)',
    text: `│ Error: creating Bedrock Agent Knowledge Base (docs-kb): operation error Bedrock Agent: CreateKnowledgeBase, https response error StatusCode: 400, RequestID: ${REQ}, ValidationException: The knowledge base storage configuration provided is invalid... Dependency error document status code: 404, error message: no such index [bedrock-knowledge-base-default-index]\n│\n│   with aws_bedrockagent_knowledge_base.docs,\n│   on main.tf line 12, in resource "aws_bedrockagent_knowledge_base" "docs":`,
    category: 'client_misconfigured',
    cause: 'client_misconfigured.invalid_request',
    facts: { operation: 'CreateKnowledgeBase', httpStatus: 400, requestId: REQ },
  },
  {
    name: 'Terraform awscc provider: Cloud Control InvalidRequest',
    text: 'Error: AWS SDK Go Service Operation Incomplete\n\n  with awscc_bedrock_agent.support,\n  on agent.tf line 1, in resource "awscc_bedrock_agent" "support":\n\nWaiting for Cloud Control API service CreateResource operation completion returned: operation FAILED. StatusMessage: Invalid request provided: Property validation failure: [Value of property {/PromptOverrideConfiguration} does not match type {Object}]. ErrorCode: InvalidRequest',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.resource_definition',
    says: [/PromptOverrideConfiguration/],
  },
  {
    name: 'CloudFormation handler: an IAM denial inside the resource handler message',
    text: `Resource handler returned message: "User: arn:aws:sts::111122223333:assumed-role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1/AWSCloudFormation is not authorized to perform: bedrock:CreateGuardrail on resource: arn:aws:bedrock:us-east-1:111122223333:guardrail/* because no identity-based policy allows the bedrock:CreateGuardrail action (Service: Bedrock, Status Code: 403, Request ID: ${REQ})" (RequestToken: 5a8f0c1e-0b5f-2e7b-77d0-2f0f3b1c9a10, HandlerErrorCode: AccessDenied)`,
    category: 'iam_permission_missing',
    facts: { actions: ['bedrock:CreateGuardrail'], httpStatus: 403 },
  },
];

const clientConfig: Case[] = [
  {
    name: 'boto3: an ARN given as the region',
    text: "botocore.exceptions.InvalidRegionError: Provided region_name 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0' doesn't match a supported format.",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.region_setting_invalid',
    says: [/region/],
  },
  {
    name: 'JS SDK v3: a URL-encoded region string',
    text: 'Error: Region not accepted: region="us-east-1%0A" is not a valid hostname component.\n    at validRegion (/app/node_modules/@smithy/config-resolver/dist-cjs/index.js:80:11)',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.region_setting_invalid',
  },
  {
    name: 'an AWS CLI too old for the Converse command',
    text: 'aws bedrock-runtime converse --model-id amazon.nova-lite-v1:0 --messages file://m.json\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> <subcommand> help\n\naws: error: argument operation: Invalid choice, valid choices are:\n\ninvoke-model                             | invoke-model-with-response-stream\nhelp',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.sdk_outdated',
  },
  {
    name: 'a role from another account passed to a Bedrock job',
    text: 'An error occurred (ValidationException) when calling the CreateModelInvocationJob operation: Cross-account pass role is not allowed.',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.cross_account_pass_role',
    says: [/same account/i],
  },
  {
    name: 'DNS failure for a region that does not exist',
    text: 'Error: getaddrinfo ENOTFOUND bedrock-runtime.us-east-7.amazonaws.com',
    category: 'region_unsupported',
  },
  {
    name: 'connection through a proxy that refuses: the proxy is named, not the region',
    text: 'botocore.exceptions.ProxyConnectionError: Failed to connect to proxy URL: "http://proxy.corp.example:3128"\nCould not connect to the endpoint URL: "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse"',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.proxy_unreachable',
    says: [/proxy/i],
  },
];

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

const families: Array<[string, Case[]]> = [
  ['request shape', requestShape],
  ['account-level blocks', accountBlocks],
  ['infrastructure-as-code deploys', iac],
  ['client configuration', clientConfig],
  ['credentials from providers', credentialProviders],
  ['wrappers around wrappers', wrappers],
  ['new surfaces and wordings', newSurfaces],
  ['more wordings of the same families', moreWordings],
];

describe.each(families)('%s', (_family, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = diagnose(c.text);
    expect(d.category).toBe(c.category);
    if (c.cause) expect(d.cause).toBe(c.cause);
    for (const [key, value] of Object.entries(c.facts ?? {})) {
      expect(d.facts[key as keyof Facts], key).toEqual(value);
    }
    const said = answerText(d);
    for (const re of c.says ?? []) expect(said).toMatch(re);
  });
});

describe('unknown is kept for text that holds nothing to act on', () => {
  it('a bare "Access denied" stays unknown and says what to paste instead', () => {
    const d = diagnose('Error: Access Denied');
    expect(d.category).toBe('unknown');
    expect(answerText(d)).toMatch(/paste/i);
  });

  it('text that is not an error at all stays unknown and asks for the full error', () => {
    const d = diagnose('it does not work, please help');
    expect(d.cause).toBe('unknown.unrecognized');
    expect(answerText(d)).toMatch(/paste the complete error/i);
  });
});
