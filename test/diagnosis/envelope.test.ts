// The families that a phrase list misses: the engine reads the error's envelope (error code, HTTP status, the
// SDK's or tool's frame) before the message, so a request-shape ValidationException, an account-level block, an IaC
// deploy error or a denial from a new Bedrock surface gets its category and an answer that says what to change.
// Texts are phrased as the tools print them (AWS's documented wording where public threads are too few).
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { answerText, type Case, itDiagnoses, REQ } from '../support/diagnosis-cases.js';

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

describe('request shape', () => itDiagnoses(requestShape));
describe('account-level blocks', () => itDiagnoses(accountBlocks));
describe('infrastructure-as-code deploys', () => itDiagnoses(iac));
describe('client configuration', () => itDiagnoses(clientConfig));

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
