// Messages as people paste them, wrapped by SDKs, frameworks, logs and Slack. Each case: the text, what a user
// must see (category) and the facts the text states.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Category, Facts } from '../../src/diagnosis/types.js';

const MARKETPLACE_IAM =
  'Model access is denied due to User: arn:aws:sts::111122223333:assumed-role/app-role/session-1 is not authorized to perform: aws-marketplace:Subscribe on resource: * because no identity-based policy allows the aws-marketplace:Subscribe action. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 2 minutes.';
const IAM_INVOKE =
  'User: arn:aws:iam::111122223333:user/dev-alice is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/cohere.command-r-v1:0 because no identity-based policy allows the bedrock:InvokeModel action';

interface Case {
  name: string;
  text: string;
  category: Category;
  cause?: string;
  facts?: Partial<Facts>;
}

const cases: Case[] = [
  {
    name: 'boto3 traceback with the call site and ClientError',
    text: `Traceback (most recent call last):
  File "/app/main.py", line 12, in <module>
    response = client.invoke_model(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=body)
  File "/usr/lib/python3.12/site-packages/botocore/client.py", line 1023, in _make_api_call
    raise error_class(parsed_response, operation_name)
botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the InvokeModel operation: ${MARKETPLACE_IAM}`,
    category: 'marketplace_subscription_missing',
    facts: {
      exception: 'AccessDeniedException',
      operation: 'InvokeModel',
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      provider: 'anthropic',
      principalArn: 'arn:aws:sts::111122223333:assumed-role/app-role/session-1',
      accountId: '111122223333',
      actions: ['aws-marketplace:Subscribe'],
      retryAfterMinutes: 2,
    },
  },
  {
    name: 'JS SDK v3 error object printed by console.log',
    text: `AccessDeniedException: ${IAM_INVOKE}
    at de_AccessDeniedExceptionRes (/app/node_modules/@aws-sdk/client-bedrock-runtime/dist-cjs/index.js:1210:21) {
  '$fault': 'client',
  '$metadata': {
    httpStatusCode: 403,
    requestId: '5c6f0a2e-3b1d-4f6a-9e0c-2b7d8a1c9e44',
    extendedRequestId: undefined,
    attempts: 1,
    totalRetryDelay: 0
  }
}`,
    category: 'iam_permission_missing',
    cause: 'iam_permission_missing.invoke',
    facts: {
      exception: 'AccessDeniedException',
      httpStatus: 403,
      requestId: '5c6f0a2e-3b1d-4f6a-9e0c-2b7d8a1c9e44',
      region: 'us-west-2',
      modelId: 'cohere.command-r-v1:0',
      principalArn: 'arn:aws:iam::111122223333:user/dev-alice',
    },
  },
  {
    name: 'JS SDK v3 error as JSON with $fault/$metadata and a percent-encoded request path',
    text: '{"name":"ValidationException","$fault":"client","$metadata":{"httpStatusCode":400,"requestId":"0d4c7c1e-8e55-4c1a-9b84-f0f3d3c1a111"},"message":"Invocation of model ID anthropic.claude-sonnet-4-20250514-v1:0 with on-demand throughput isn\\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.","url":"https://bedrock-runtime.eu-central-1.amazonaws.com/model/anthropic.claude-sonnet-4-20250514-v1%3A0/converse"}',
    category: 'inference_profile_required',
    facts: {
      exception: 'ValidationException',
      httpStatus: 400,
      modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
      region: 'eu-central-1',
    },
  },
  {
    name: 'AWS CLI command and its error',
    text: `$ aws bedrock-runtime converse --model-id meta.llama3-70b-instruct-v1:0 --region ap-south-1 --messages file://m.json

An error occurred (AccessDeniedException) when calling the Converse operation: You don't have access to the model with the specified model ID.`,
    category: 'model_access_not_granted',
    facts: { operation: 'Converse', modelId: 'meta.llama3-70b-instruct-v1:0', region: 'ap-south-1', provider: 'meta' },
  },
  {
    name: 'AWS CLI control-plane command without "when calling"',
    text: 'aws bedrock list-foundation-model-agreement-offers --model-id cohere.command-r-plus-v1:0\nAccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/Dev/x is not authorized to perform: bedrock:ListFoundationModelAgreementOffers on resource: * because no identity-based policy allows the bedrock:ListFoundationModelAgreementOffers action',
    category: 'iam_permission_missing',
    facts: {
      operation: 'ListFoundationModelAgreementOffers',
      surface: 'control_plane',
      modelId: 'cohere.command-r-plus-v1:0',
    },
  },
  {
    name: 'LangChain ValueError',
    text: 'ValueError: Error raised by bedrock service: An error occurred (ThrottlingException) when calling the InvokeModel operation (reached max retries: 4): Too many tokens per day, please wait before trying again.',
    category: 'throttling_or_quota',
    cause: 'throttling_or_quota.tokens_per_day',
    facts: { exception: 'ThrottlingException', operation: 'InvokeModel' },
  },
  {
    name: 'LlamaIndex retry wrapper',
    text: 'tenacity.RetryError: RetryError[<Future at 0x7f state=finished raised ClientError>] caused by botocore.exceptions.ClientError: An error occurred (ExpiredTokenException) when calling the InvokeModel operation: The security token included in the request is expired',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.token_expired',
    facts: { exception: 'ExpiredTokenException', operation: 'InvokeModel' },
  },
  {
    name: 'LiteLLM exception with a bedrock/ model prefix and a JSON body',
    text: 'litellm.exceptions.NotFoundError: litellm.NotFoundError: BedrockException - {"message":"The provided model identifier is invalid."} model=bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0',
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.invalid_identifier',
    facts: {
      modelId: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      baseModelId: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
      provider: 'anthropic',
    },
  },
  {
    name: 'Rust SDK debug output',
    text: 'Error: ServiceError(ServiceError { source: ThrottlingException(ThrottlingException { message: Some("Too many requests, please wait before trying again."), meta: ErrorMetadata { code: Some("ThrottlingException"), message: Some("Too many requests, please wait before trying again."), extras: Some({"aws_request_id": "9f1f6a6e-1b0c-4e4e-8d9a-6a7a0b0c0d0e"}) } }), raw: Response { status: StatusCode(429), headers: Headers { headers: {} }, body: SdkBody { inner: Once(None) } } })',
    category: 'throttling_or_quota',
    facts: { exception: 'ThrottlingException', httpStatus: 429, requestId: '9f1f6a6e-1b0c-4e4e-8d9a-6a7a0b0c0d0e' },
  },
  {
    name: 'Swift SDK error description with headers',
    text: 'AccessDeniedException(properties: AWSBedrockRuntime.AccessDeniedException.Properties(message: Optional("Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model.")), httpResponse: Status Code: http_status_404 x-amzn-ErrorType: ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.bedrock/, x-amzn-RequestId: 3c3d1c62-6a9e-4f9f-9b0e-0d6a7c1e2f3a)',
    category: 'anthropic_use_case_form_missing',
    facts: { httpStatus: 404, requestId: '3c3d1c62-6a9e-4f9f-9b0e-0d6a7c1e2f3a' },
  },
  {
    name: 'CloudTrail record with errorCode/errorMessage',
    text: '{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::444455556666:assumed-role/DataSci/jdoe"},"eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","awsRegion":"eu-west-1","errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::444455556666:assumed-role/DataSci/jdoe is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:eu-west-1::foundation-model/mistral.mistral-large-2402-v1:0 with an explicit deny in an identity-based policy","requestID":"7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"}',
    category: 'explicit_deny',
    cause: 'explicit_deny.identity_policy',
    facts: {
      operation: 'InvokeModel',
      region: 'eu-west-1',
      accountId: '444455556666',
      deniedBy: 'identity-based policy',
      requestId: '7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
      modelId: 'mistral.mistral-large-2402-v1:0',
    },
  },
  {
    name: 'JSON body with capital Message',
    text: '{"Message":"User: arn:aws:sts::111122223333:assumed-role/ops/x is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-lite-v1:0 because no session policy allows the bedrock:InvokeModelWithResponseStream action"}',
    category: 'explicit_deny',
    cause: 'explicit_deny.session_policy',
    facts: { modelId: 'us.amazon.nova-lite-v1:0', baseModelId: 'amazon.nova-lite-v1:0', deniedBy: 'session policy' },
  },
  {
    name: 'HTTP status prefix and a permissions boundary',
    text: '403 Forbidden: User: arn:aws:iam::111122223333:role/app/lambda-exec is not authorized to perform: bedrock:Converse on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1 because no permissions boundary allows the bedrock:Converse action',
    category: 'explicit_deny',
    cause: 'explicit_deny.permissions_boundary',
    facts: {
      httpStatus: 403,
      deniedBy: 'permissions boundary',
      principalArn: 'arn:aws:iam::111122223333:role/app/lambda-exec',
    },
  },
  {
    name: 'log line with a timestamp and level',
    text: '2026-03-02T10:11:12.345Z ERROR [worker-3] bedrock call failed: ServiceQuotaExceededException: Your request exceeds the service quota for your account. region=us-east-2',
    category: 'throttling_or_quota',
    cause: 'throttling_or_quota.service_quota',
    facts: { exception: 'ServiceQuotaExceededException', region: 'us-east-2' },
  },
  {
    name: 'Slack-mangled paste: entities, smart quotes, backticks, bold and broken lines',
    text: '```An error occurred (ValidationException) when calling the **Converse** operation: Invocation of model ID `anthropic.claude-3-5-haiku-20241022-v1:0` with on-demand throughput isn’t\nsupported. Retry your request with the ID or ARN of an inference profile that contains this model.```\n&gt; region: &lt;eu-west-1&gt;',
    category: 'inference_profile_required',
    facts: { operation: 'Converse', modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', region: 'eu-west-1' },
  },
  {
    name: 'Slack link syntax around an endpoint URL',
    text: 'botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "<https://bedrock-runtime.eu-west-7.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse|https://bedrock-runtime.eu-west-7.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse>"',
    category: 'region_unsupported',
    facts: { exception: 'EndpointConnectionError', region: 'eu-west-7', modelId: 'amazon.nova-pro-v1:0' },
  },
  {
    name: 'zero-width characters and JSON-escaped quotes',
    text: '{\\"message\\":\\"Too many\u200b requests, please wait before trying again.\\"}',
    category: 'throttling_or_quota',
  },
];

const families: Case[] = [
  {
    name: 'bedrock-mantle 401 subscription failure',
    text: '401 {"error":{"code":"access_denied","message":"Your subscription to the model could not be established. Reason: User: arn:aws:sts::111122223333:assumed-role/dev/x is not authorized to perform: aws-marketplace:Subscribe on resource: *"}}',
    category: 'marketplace_subscription_missing',
    cause: 'marketplace_subscription_missing.subscription_failed',
    facts: { httpStatus: 401 },
  },
  {
    name: 'CreateAgreementRequest denied on the OpenAI-compatible endpoint',
    text: 'Error code: 403 - {"error": {"message": "User: arn:aws:sts::111122223333:assumed-role/bench/x is not authorized to perform: aws-marketplace:CreateAgreementRequest on resource: * because no identity-based policy allows the aws-marketplace:CreateAgreementRequest action", "model": "openai.gpt-5.5"}}',
    category: 'marketplace_subscription_missing',
    cause: 'marketplace_subscription_missing.agreement_request_denied',
    facts: { modelId: 'openai.gpt-5.5', actions: ['aws-marketplace:CreateAgreementRequest'] },
  },
  {
    name: 'Marketplace subscribe denied by an SCP',
    text: 'AccessDeniedException: Model access is denied due to User: arn:aws:sts::111122223333:assumed-role/dev/x is not authorized to perform: aws-marketplace:Subscribe on resource: * with an explicit deny in a service control policy: arn:aws:organizations::999988887777:policy/o-abc123/service_control_policy/p-xyz789',
    category: 'explicit_deny',
    cause: 'explicit_deny.marketplace',
    facts: {
      deniedBy: 'service control policy',
      policyArn: 'arn:aws:organizations::999988887777:policy/o-abc123/service_control_policy/p-xyz789',
      accountId: '111122223333',
    },
  },
  {
    name: 'resource control policy deny',
    text: 'User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0 with an explicit deny in a resource control policy',
    category: 'explicit_deny',
    cause: 'explicit_deny.rcp',
  },
  {
    name: 'EOL message',
    text: 'ResourceNotFoundException: This model version has reached the end of its life. Please refer to the AWS documentation for more details.',
    category: 'model_not_found_or_eol',
    cause: 'model_not_found_or_eol.end_of_life',
  },
  {
    name: 'Unable to locate credentials',
    text: 'botocore.exceptions.NoCredentialsError: Unable to locate credentials',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.not_found',
  },
  {
    name: 'JS SDK could not load credentials',
    text: 'CredentialsProviderError: Could not load credentials from any providers',
    category: 'credentials_invalid_or_expired',
  },
  {
    name: 'missing profile',
    text: 'botocore.exceptions.ProfileNotFound: The config profile (bedrock-dev) could not be found',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.profile_not_found',
  },
  {
    name: 'SSO token expired',
    text: 'Error when retrieving token from sso: Token has expired and refresh failed',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.sso_session_expired',
  },
  {
    name: 'signature expired (clock skew)',
    text: 'InvalidSignatureException: Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)',
    category: 'credentials_invalid_or_expired',
    cause: 'credentials_invalid_or_expired.clock_skew',
  },
  {
    name: 'model not ready',
    text: 'ModelNotReadyException: Model is not ready for inference. Wait and try your request again.',
    category: 'throttling_or_quota',
    cause: 'throttling_or_quota.model_not_ready',
  },
  {
    name: 'UnknownOperationException on the runtime endpoint',
    text: 'UnknownOperationException: Unknown operation (url: https://bedrock-runtime.us-east-1.amazonaws.com/foundation-models)',
    category: 'client_misconfigured',
  },
  {
    name: 'control-plane operation on a runtime client',
    text: "AttributeError: 'BedrockRuntime' object has no attribute 'list_foundation_models'",
    category: 'client_misconfigured',
    cause: 'client_misconfigured.wrong_client',
  },
  {
    name: 'malformed endpoint host',
    text: 'EndpointConnectionError: Could not connect to the endpoint URL: "https://bedrock-runtime.us-east1.amazonaws.com/model/x/invoke"',
    category: 'client_misconfigured',
    cause: 'client_misconfigured.bad_endpoint',
  },
  {
    name: 'model not supported in this region',
    text: 'ValidationException: The model anthropic.claude-3-opus-20240229-v1:0 is not supported in this region.',
    category: 'region_unsupported',
    facts: { modelId: 'anthropic.claude-3-opus-20240229-v1:0' },
  },
  {
    name: 'generic access denied with nothing more',
    text: 'Access denied when calling Bedrock. Check your request permissions and retry the request.',
    category: 'unknown',
  },
  {
    name: 'unrelated text',
    text: 'hello, is anyone around to help me with my lunch order?',
    category: 'unknown',
    cause: 'unknown.unrecognized',
  },
];

describe('diagnose — wrappers people paste', () => {
  it.each([...cases, ...families].map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const diagnosis = diagnose(c.text);
    expect(diagnosis.category).toBe(c.category);
    if (c.cause) expect(diagnosis.cause).toBe(c.cause);
    if (c.facts) expect(diagnosis.facts).toMatchObject(c.facts);
  });
});

describe('diagnose — facts that must stay absent', () => {
  it.each([
    [
      '{account-id}',
      'User: arn:aws:sts::{account-id}:assumed-role/r/s is not authorized to perform: bedrock:InvokeModel',
    ],
    [
      'xxxxxxxxxxxx',
      'User: arn:aws:sts::xxxxxxxxxxxx:assumed-role/r/s is not authorized to perform: bedrock:InvokeModel',
    ],
    ['REDACTED', 'User: arn:aws:iam::REDACTED is not authorized to perform: bedrock:InvokeModel'],
    ['IAM_USER_ARN', 'IAM_USER_ARN is not authorized to perform: bedrock:CreateAgent'],
  ])('takes no account id from the placeholder %s', (_placeholder, text) => {
    expect(diagnose(text).facts.accountId).toBeUndefined();
  });

  it('takes no region from a global profile ARN and explains the region-restricting policy', () => {
    const diagnosis = diagnose(
      'User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0 with an explicit deny in a service control policy',
    );
    expect(diagnosis.facts.region).toBeUndefined();
    expect(diagnosis.cause).toBe('explicit_deny.global_profile_region');
    expect(diagnosis.explanation).toContain('global inference profile');
  });

  it('does not take the SCP owner account as the caller account', () => {
    const diagnosis = diagnose(
      'is not authorized to perform: bedrock:InvokeModel with an explicit deny in a service control policy: arn:aws:organizations::999988887777:policy/o-a/service_control_policy/p-b',
    );
    expect(diagnosis.facts.accountId).toBeUndefined();
  });

  it('does not read "IAM user or service role" as a principal', () => {
    const diagnosis = diagnose(
      'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.',
    );
    expect(diagnosis.facts.principalArn).toBeUndefined();
  });

  it('does not mistake host names for model ids', () => {
    const diagnosis = diagnose(
      'x-amzn-ErrorType: AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/ see https://docs.aws.amazon.com and amazon.com',
    );
    expect(diagnosis.facts.modelId).toBeUndefined();
  });

  it('marks input over 256 KB as truncated and still diagnoses its start', () => {
    const text = `An error occurred (ThrottlingException) when calling the InvokeModel operation: Too many requests ${'x'.repeat(300 * 1024)}`;
    const diagnosis = diagnose(text);
    expect(diagnosis.truncated).toBe(true);
    expect(diagnosis.category).toBe('throttling_or_quota');
  });
});
