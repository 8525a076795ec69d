// Members of each message family phrased the way real tools print them: SDKs in other languages, frameworks, the
// CLI's retry suffix, CloudTrail records, knowledge-base and agent wrappers. Each case: what a user must see
// (category, finer cause) and the facts the text states.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Category, Facts } from '../../src/diagnosis/types.js';

interface Case {
  name: string;
  text: string;
  category: Category;
  cause?: string;
  facts?: Partial<Facts>;
}

const ROLE = 'arn:aws:sts::111122223333:assumed-role/app-role/session-7';
const MARKETPLACE_GENERIC =
  'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 15 minutes.';
const NO_ACCESS = "You don't have access to the model with the specified model ID.";
const EOL =
  'This model version has reached the end of its life. Please refer to the AWS documentation for more details.';
const REQUEST_ID = '0b9f3c52-7d3e-4a8e-9a61-5e2f0c1d7a11';

const cases: Case[] = [
  // Older and product-specific wordings of the same refusals
  {
    name: 'account-level refusal of one model, without IAM detail',
    text: 'An error occurred (AccessDeniedException) when calling the InvokeModel operation: The model you specified is not supported on this account',
    category: 'model_access_not_granted',
    facts: { operation: 'InvokeModel' },
  },
  {
    name: 'LangChain log: the older "doesn\'t support on-demand throughput" wording',
    text: "ERROR:root:Error raised by bedrock service:\nAn error occurred (ValidationException) when calling the InvokeModel operation:\nThe provided model doesn't support on-demand throughput.",
    category: 'inference_profile_required',
    cause: 'inference_profile_required.on_demand_not_supported',
    facts: { operation: 'InvokeModel' },
  },
  {
    name: 'Anthropic client on Bedrock: "You invoked an unsupported model"',
    text: 'API Error: 400 You invoked an unsupported model or your request did not allow prompt caching',
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.not_found',
  },
  // Marketplace subscription
  {
    name: 'OpenAI Python SDK on the bedrock-mantle endpoint: 401 with a Python dict body',
    text: `openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Your subscription to the model could not be established. Reason: User: ${ROLE} is not authorized to perform: aws-marketplace:Subscribe on resource: * because no identity-based policy allows the aws-marketplace:Subscribe action', 'type': 'authentication_error', 'code': 'access_denied'}}`,
    category: 'marketplace_subscription_missing',
    facts: { principalArn: ROLE, accountId: '111122223333', actions: ['aws-marketplace:Subscribe'], httpStatus: 401 },
  },
  {
    name: 'Anthropic SDK through Bedrock: PermissionDeniedError with the Marketplace message',
    text: `anthropic.PermissionDeniedError: Error code: 403 - {'message': '${MARKETPLACE_GENERIC}'}`,
    category: 'marketplace_subscription_missing',
    facts: {
      actions: ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'],
      retryAfterMinutes: 15,
      httpStatus: 403,
    },
  },
  {
    name: 'Go SDK v2 operation error with the Marketplace message',
    text: `operation error Bedrock Runtime: InvokeModel, https response error StatusCode: 403, RequestID: ${REQUEST_ID}, AccessDeniedException: ${MARKETPLACE_GENERIC.replace('15 minutes', '5 minutes')}`,
    category: 'marketplace_subscription_missing',
    facts: {
      exception: 'AccessDeniedException',
      operation: 'InvokeModel',
      httpStatus: 403,
      requestId: REQUEST_ID,
      retryAfterMinutes: 5,
      surface: 'model_invocation',
    },
  },
  {
    name: 'Marketplace payment failure (INVALID_PAYMENT_INSTRUMENT) from boto3',
    text: 'botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the Converse operation: Model access is denied due to INVALID_PAYMENT_INSTRUMENT:A valid payment instrument must be provided.. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 2 minutes.',
    category: 'marketplace_subscription_missing',
    cause: 'marketplace_subscription_missing.payment_method',
    facts: { exception: 'AccessDeniedException', operation: 'Converse', retryAfterMinutes: 2 },
  },
  {
    name: 'knowledge-base ingestion job failing on a Marketplace denial for the embeddings model',
    text: `Ingestion job failed. Failure reasons: ["Encountered error: ${MARKETPLACE_GENERIC} (Service: BedrockRuntime, Status Code: 403, Request ID: ${REQUEST_ID})"]`,
    category: 'marketplace_subscription_missing',
    facts: { surface: 'knowledge_base_sync', httpStatus: 403, requestId: REQUEST_ID },
  },

  // Model access / IAM permission
  {
    name: 'Java SDK v2 exception with its (Service, Status Code, Request ID) suffix',
    text: `software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException: ${NO_ACCESS} (Service: BedrockRuntime, Status Code: 403, Request ID: ${REQUEST_ID})`,
    category: 'model_access_not_granted',
    facts: { exception: 'AccessDeniedException', httpStatus: 403, requestId: REQUEST_ID },
  },
  {
    name: 'LangChain "Error raised by bedrock service" around the no-access message',
    text: `ValueError: Error raised by bedrock service: An error occurred (AccessDeniedException) when calling the InvokeModel operation: ${NO_ACCESS}`,
    category: 'model_access_not_granted',
    facts: { exception: 'AccessDeniedException', operation: 'InvokeModel' },
  },
  {
    name: 'LiteLLM BedrockException with a capital-M Message body naming the denied invoke',
    text: 'litellm.exceptions.APIConnectionError: BedrockException - {"Message":"User: arn:aws:iam::111122223333:user/ci-bot is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-west-1::foundation-model/mistral.mistral-large-2402-v1:0 because no identity-based policy allows the bedrock:InvokeModel action"}',
    category: 'iam_permission_missing',
    cause: 'iam_permission_missing.invoke',
    facts: {
      principalArn: 'arn:aws:iam::111122223333:user/ci-bot',
      modelId: 'mistral.mistral-large-2402-v1:0',
      provider: 'mistral',
      region: 'eu-west-1',
      actions: ['bedrock:InvokeModel'],
    },
  },
  {
    name: '.NET SDK exception with its inner HttpErrorResponseException',
    text: `Amazon.BedrockRuntime.Model.AccessDeniedException: User: ${ROLE} is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action
 ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type 'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.
   at Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)`,
    category: 'iam_permission_missing',
    facts: {
      exception: 'AccessDeniedException',
      operation: 'InvokeModelWithResponseStream',
      modelId: 'amazon.nova-lite-v1:0',
      region: 'us-east-1',
    },
  },
  {
    name: 'CloudTrail record (minified) with errorCode AccessDenied',
    text: `{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"${ROLE}","accountId":"111122223333"},"eventTime":"2026-11-20T08:14:03Z","eventSource":"bedrock.amazonaws.com","eventName":"Converse","awsRegion":"ap-northeast-1","errorCode":"AccessDenied","errorMessage":"User: ${ROLE} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:ap-northeast-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 because no identity-based policy allows the bedrock:InvokeModel action","requestParameters":null,"responseElements":null}`,
    category: 'iam_permission_missing',
    facts: {
      operation: 'Converse',
      region: 'ap-northeast-1',
      principalArn: ROLE,
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    },
  },
  {
    name: 'knowledge-base sync wrapping an embeddings invoke denial of the service role',
    text: 'An error occurred while synchronizing the knowledge base: Encountered error: User: arn:aws:sts::111122223333:assumed-role/AmazonBedrockExecutionRoleForKnowledgeBase_x1y2z/BedrockSession is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-embed-text-v2:0 because no identity-based policy allows the bedrock:InvokeModel action',
    category: 'iam_permission_missing',
    facts: { surface: 'knowledge_base_sync', modelId: 'amazon.titan-embed-text-v2:0', region: 'us-west-2' },
  },
  {
    name: 'agent runtime: streamed accessDeniedException on InvokeAgent',
    text: `botocore.exceptions.EventStreamError: An error occurred (accessDeniedException) when calling the InvokeAgent operation: User: ${ROLE} is not authorized to perform: bedrock:InvokeAgent on resource: arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345 because no identity-based policy allows the bedrock:InvokeAgent action`,
    category: 'iam_permission_missing',
    facts: { operation: 'InvokeAgent', surface: 'agent', actions: ['bedrock:InvokeAgent'] },
  },
  {
    name: 'agent runtime: dependencyFailedException from the action group Lambda',
    text: 'botocore.exceptions.EventStreamError: An error occurred (dependencyFailedException) when calling the InvokeAgent operation: Access denied while invoking Lambda function arn:aws:lambda:us-east-1:111122223333:function:order-lookup. Check the permissions on Lambda function and retry the request.',
    category: 'iam_permission_missing',
    cause: 'iam_permission_missing.agent_lambda',
    facts: { exception: 'dependencyFailedException', operation: 'InvokeAgent', surface: 'agent', region: 'us-east-1' },
  },

  // Guard policies
  {
    name: 'Java SDK: explicit deny in a permissions boundary',
    text: `software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException: User: ${ROLE} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-central-1::foundation-model/cohere.command-r-plus-v1:0 with an explicit deny in a permissions boundary (Service: BedrockRuntime, Status Code: 403, Request ID: ${REQUEST_ID})`,
    category: 'explicit_deny',
    cause: 'explicit_deny.permissions_boundary',
    facts: { deniedBy: 'permissions boundary', region: 'eu-central-1', modelId: 'cohere.command-r-plus-v1:0' },
  },
  {
    name: 'Go SDK: no session policy allows the action',
    text: `operation error Bedrock Runtime: Converse, https response error StatusCode: 403, RequestID: ${REQUEST_ID}, AccessDeniedException: User: ${ROLE} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-2::foundation-model/meta.llama3-70b-instruct-v1:0 because no session policy allows the bedrock:InvokeModel action`,
    category: 'explicit_deny',
    cause: 'explicit_deny.session_policy',
    facts: { deniedBy: 'session policy', operation: 'Converse', region: 'us-east-2' },
  },

  // Lifecycle and model ids
  {
    name: 'Legacy model unused for 15 days, from the JS SDK',
    text: 'ResourceNotFoundException: Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days. Please upgrade to an active model on Amazon Bedrock\n    at de_ResourceNotFoundExceptionRes (/app/node_modules/@aws-sdk/client-bedrock-runtime/dist-cjs/index.js:1340:21)',
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.legacy',
    facts: { exception: 'ResourceNotFoundException', inactivityDays: 15 },
  },
  {
    name: 'end of life through LangChain',
    text: `ValueError: Error raised by bedrock service: An error occurred (ResourceNotFoundException) when calling the InvokeModel operation: ${EOL}`,
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.end_of_life',
  },
  {
    name: 'end of life from the Vercel AI SDK with a status code',
    text: `AI_APICallError: ${EOL}\n  statusCode: 404,\n  url: 'https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-v2%3A1/converse'`,
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.end_of_life',
    facts: { httpStatus: 404, modelId: 'anthropic.claude-v2:1', region: 'us-west-2' },
  },
  {
    name: 'ResourceNotFoundException: Model not found',
    text: 'An error occurred (ResourceNotFoundException) when calling the InvokeModel operation: Model not found',
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.not_found',
  },
  {
    name: 'on-demand throughput not supported, Java SDK with the curly apostrophe',
    text: `software.amazon.awssdk.services.bedrockruntime.model.ValidationException: Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model. (Service: BedrockRuntime, Status Code: 400, Request ID: ${REQUEST_ID})`,
    category: 'inference_profile_required',
    facts: { modelId: 'anthropic.claude-3-7-sonnet-20250219-v1:0', httpStatus: 400 },
  },
  {
    name: 'Anthropic use-case form missing, JS SDK, retry in 15 minutes',
    text: 'ResourceNotFoundException: Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model. If you have already filled out the form, try again in 15 minutes.',
    category: 'anthropic_use_case_form_missing',
    facts: { exception: 'ResourceNotFoundException', retryAfterMinutes: 15 },
  },

  // Service side and throttling
  {
    name: 'AWS CLI with the retry suffix: ServiceUnavailableException',
    text: 'An error occurred (ServiceUnavailableException) when calling the InvokeModel operation (reached max retries: 2): Bedrock is unable to process your request.',
    category: 'throttling_or_quota',
    cause: 'throttling_or_quota.service_unavailable',
    facts: { exception: 'ServiceUnavailableException', operation: 'InvokeModel' },
  },
  {
    name: 'Go SDK: throttled after the maximum number of attempts',
    text: `operation error Bedrock Runtime: Converse, exceeded maximum number of attempts, 3, https response error StatusCode: 429, RequestID: ${REQUEST_ID}, ThrottlingException: Too many tokens, please wait before trying again.`,
    category: 'throttling_or_quota',
    cause: 'throttling_or_quota.tokens',
    facts: { exception: 'ThrottlingException', operation: 'Converse', httpStatus: 429 },
  },
  {
    name: 'ModelTimeoutException from boto3',
    text: 'botocore.errorfactory.ModelTimeoutException: An error occurred (ModelTimeoutException) when calling the InvokeModel operation: Model has timed out in processing the request. Try your request again.',
    category: 'unknown',
    cause: 'unknown.model_timeout',
    facts: { exception: 'ModelTimeoutException', operation: 'InvokeModel' },
  },
  {
    name: 'ModelErrorException from the JS SDK',
    text: 'ModelErrorException: Received server error (500) from model. See the model provider logs for details.\n  $fault: "client", $metadata: { httpStatusCode: 424 }',
    category: 'unknown',
    cause: 'unknown.model_error',
    facts: { exception: 'ModelErrorException', httpStatus: 424 },
  },

  // Client set-up and credentials
  {
    name: 'Could not connect to the endpoint URL in an established region (network, not region)',
    text: 'botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "https://bedrock-runtime.eu-west-3.amazonaws.com/model/mistral.mistral-large-2402-v1%3A0/invoke"',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.endpoint_unreachable',
    facts: { region: 'eu-west-3', modelId: 'mistral.mistral-large-2402-v1:0' },
  },
  {
    name: 'Could not connect to the control-plane endpoint URL',
    text: 'Could not connect to the endpoint URL: "https://bedrock.ap-southeast-2.amazonaws.com/foundation-models"',
    category: 'client_misconfigured',
    facts: { region: 'ap-southeast-2' },
  },
  {
    name: 'JS SDK: getaddrinfo ENOTFOUND for the runtime host',
    text: "Error: getaddrinfo ENOTFOUND bedrock-runtime.us-east-1.amazonaws.com\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26) {\n  errno: -3008,\n  code: 'ENOTFOUND',\n  syscall: 'getaddrinfo',\n  hostname: 'bedrock-runtime.us-east-1.amazonaws.com',\n  '$metadata': { attempts: 1, totalRetryDelay: 0 }\n}",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.endpoint_unreachable',
    facts: { region: 'us-east-1' },
  },
  {
    name: 'UnknownOperationException worded "not recognized by the service"',
    text: 'UnknownOperationException: The requested operation is not recognized by the service.',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.wrong_endpoint',
  },
  {
    name: 'JS SDK: Region is missing',
    text: 'Error: Region is missing\n    at default (/app/node_modules/@smithy/config-resolver/dist-cjs/index.js:117:11)',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.region_missing',
  },
  {
    name: 'boto3: NoRegionError inside a LangChain stack',
    text: 'File "/app/.venv/lib/python3.12/site-packages/langchain_aws/llms/bedrock.py", line 612, in validate_environment\n    raise ValueError(\nValueError: Could not load credentials to authenticate with AWS client. Please check that credentials in the specified profile name are valid. Bedrock error: You must specify a region.',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.region_missing',
  },
  {
    name: 'boto3: SSO token retrieval failure',
    text: 'botocore.exceptions.TokenRetrievalError: Error when retrieving token from sso: Token has expired and refresh failed',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.sso_session_expired',
  },
  {
    name: 'Java SDK: expired security token',
    text: `software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException: The security token included in the request is expired (Service: BedrockRuntime, Status Code: 403, Request ID: ${REQUEST_ID})`,
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.token_expired',
    facts: { httpStatus: 403, requestId: REQUEST_ID },
  },
];

describe('diagnose — message families as real tools print them', () => {
  it('tells how to let the agent call its Lambda function, with the function and region filled in', () => {
    // Prepare
    const text = cases.find((c) => c.name.startsWith('agent runtime: dependencyFailedException'))?.text ?? '';

    // Act
    const diagnosis = diagnose(text);

    // Assess
    expect(diagnosis.title).toBe('The agent may not invoke its Lambda function');
    const command = diagnosis.steps[0]?.code?.content ?? '';
    expect(command).toContain('aws lambda add-permission');
    expect(command).toContain('arn:aws:lambda:us-east-1:111122223333:function:order-lookup');
    expect(command).toContain('--principal bedrock.amazonaws.com');
    expect(command).toContain("'arn:aws:bedrock:us-east-1:111122223333:agent/<agent-id>'");
  });

  it('says a model timeout is not an access problem', () => {
    const diagnosis = diagnose(cases.find((c) => c.cause === 'unknown.model_timeout')?.text ?? '');
    expect(diagnosis.title).toBe('The model took too long to answer');
    expect(diagnosis.activationCanHelp).toBe(false);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Act
    const diagnosis = diagnose(c.text);

    // Assess
    expect(diagnosis.category).toBe(c.category);
    if (c.cause) expect(diagnosis.cause).toBe(c.cause);
    if (c.facts) expect(diagnosis.facts).toMatchObject(c.facts);
  });
});

describe('titles without a model id', () => {
  it('open with a capital and never repeat "the model"', () => {
    const titles = [
      diagnose("ValidationException: The provided model doesn't support on-demand throughput.").title,
      diagnose('ResourceNotFoundException: Model not found').title,
      diagnose('ResourceNotFoundException: This model version has reached the end of its life.').title,
    ];
    for (const title of titles) {
      expect(title[0]).toBe(title[0]?.toUpperCase());
      expect(title).not.toMatch(/model the model/i);
    }
  });
});

describe('region and endpoint scoping', () => {
  it('reads a SigV4 region-scope error as a client misconfiguration, not bad credentials', () => {
    const d = diagnose(
      '[ERROR] ValueError: Error raised by bedrock service: An error occurred (InvalidSignatureException) when calling the InvokeModel operation: Credential should be scoped to a valid region.',
    );
    expect(d.cause).toBe('client_misconfigured.signing_region');
  });

  it('reads the JS SDK v2 UnknownEndpoint hint as a region Bedrock does not serve', () => {
    const d = diagnose(
      "UnknownEndpoint: Inaccessible host: `bedrock-runtime.eu-north-1.amazonaws.com'. This service may not be available in the `eu-north-1' region.",
    );
    expect(d.category).toBe('region_unsupported');
    expect(d.facts.region).toBe('eu-north-1');
  });
});

describe('surface from Bedrock service roles', () => {
  it('tells a knowledge-base sync from its service role, even when the failing call is InvokeModel', () => {
    const d = diagnose(
      'Encountered error: User: arn:aws:sts::123456789012:assumed-role/AmazonBedrockExecutionRoleForKnowledgeBase_abc12/AmazonBedrock-KnowledgeBases is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0 because no identity-based policy allows the bedrock:InvokeModel action (Service: BedrockRuntime, Status Code: 403)',
    );
    expect(d.category).toBe('iam_permission_missing');
    expect(d.facts.surface).toBe('knowledge_base_sync');
  });

  it('tells an agent from its service role', () => {
    const d = diagnose(
      'User: arn:aws:sts::123456789012:assumed-role/AmazonBedrockExecutionRoleForAgents_helpdesk/x is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 because no identity-based policy allows the bedrock:InvokeModel action',
    );
    expect(d.facts.surface).toBe('agent');
  });
});

describe('redactions and Markdown in pasted ARNs', () => {
  it('keeps a ** redaction of the account inside the caller ARN, and gives no account id', () => {
    const d = diagnose(
      'ValueError: Error raised by bedrock service: An error occurred (AccessDeniedException) when calling the InvokeModel operation: User: arn:aws:sts::**:assumed-role/semantic-search-NBRole/SageMaker is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 because no identity-based policy allows the bedrock:InvokeModel action',
    );
    expect(d.facts.principalArn).toBe('arn:aws:sts::**:assumed-role/semantic-search-NBRole/SageMaker');
    expect(d.facts.accountId).toBeUndefined();
  });

  it('still drops bold markers a person added around a region', () => {
    const d = diagnose(
      'not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:**eu-west-3**::foundation-model/amazon.nova-pro-v1:0 with an explicit deny in a service control policy',
    );
    expect(d.facts.region).toBe('eu-west-3');
  });
});
