// Rules about the request itself: the service, the SDK or a framework in front refused what was sent (the shape of
// the conversation, a parameter, the model string, the API called), or a deploy tool refused a resource definition.
import { has, hit, isValidationError, type Rule } from './kit.js';

// LlamaIndex and similar: "Provider apac for model apac.anthropic.… is not supported".
const PROVIDER_FOR_MODEL_RE = /provider \S{1,40} for model \S{1,200} is not supported/;
const FIELD_NOT_SUPPORTED_RE = /does(?: not|n't) support (?:the )?[\w.-]{1,60} (?:field|parameter|setting|feature)/;
const API_NOT_SUPPORTED_RE =
  /does(?: not|n't) support (?:the )?['"]?(?:\/v1\/[\w/.-]+|[\w.-]+ api|chat completions|responses api|messages api|converse(?:stream)? api|endpoint)/;

/** SDK-side checks that fail before anything is sent (Go, Java, boto3 and JS spell them differently). */
const clientValidation: Rule = ({ phrases }) =>
  has(
    phrases,
    'serialization failed',
    'failed to serialize',
    'unable to marshall',
    'invalidparamserror',
    'missing required field',
    'must not be empty',
    'must not be null',
  )
    ? hit('client_misconfigured', 'client_validation')
    : undefined;

/** A framework or gateway in front of Bedrock cannot parse or route the model string it was given. */
const modelString: Rule = ({ phrases, lower }) =>
  has(
    phrases,
    'unknown provider=',
    'llm provider not provided',
    'please use models api',
    'unsupported model ',
    'model is not supported by this gateway',
    'unknown model prefix',
    'for provider:',
  ) ||
  (has(phrases, 'provider ') && PROVIDER_FOR_MODEL_RE.test(lower))
    ? hit('client_misconfigured', 'model_string_rejected')
    : undefined;

/** Bedrock rejected the conversation itself: roles, order or empty content blocks. */
const conversationShape: Rule = ({ phrases }) =>
  has(
    phrases,
    'conversation must start with',
    'conversation must end with',
    'must alternate between',
    'roles must alternate',
    'contentblock object',
    'content blocks must be non-empty',
    'text content blocks must contain non-whitespace',
    'expected toolresult blocks',
    'tool_use ids were found without tool_result',
    'first message must use the',
    'in the final position',
    'pre-fill the',
  )
    ? hit('client_misconfigured', 'conversation_shape')
    : undefined;

/** A parameter the model does not take or a value outside its limits, in wordings that say so on their own. */
const requestParameter: Rule = ({ phrases, lower }) =>
  has(
    phrases,
    "doesn't support tool",
    'does not support tool',
    'exceeds the model limit',
    'exceed the model limit',
    'unsupported parameter',
    'is not supported for this model',
    "isn't supported for this model",
    'not supported by this model',
    'maximum tokens you requested',
    'cannot be specified for model',
  ) ||
  (has(phrases, 'support') && FIELD_NOT_SUPPORTED_RE.test(lower))
    ? hit('client_misconfigured', 'request_parameter')
    : undefined;

/** Parameter wordings that only mean a refused request inside a validation error. */
const parameterInValidation: Rule = ({ phrases }) =>
  has(phrases, 'max_tokens', 'maxtokens', 'temperature', 'top_p', 'top_k', 'out of range', 'is not a valid value')
    ? hit('client_misconfigured', 'request_parameter')
    : undefined;

/** Terraform (aws, awscc), CloudFormation and CDK refuse a resource whose definition is malformed. */
const resourceDefinition: Rule = ({ phrases }) =>
  has(
    phrases,
    'property validation failure',
    'model validation failed',
    'invalid request provided',
    'handlererrorcode: invalidrequest',
    'errorcode: invalidrequest',
  )
    ? hit('client_misconfigured', 'resource_definition')
    : undefined;

export const requestShape: Rule = (input) => {
  const { phrases, lower } = input;
  const found =
    conversationShape(input) ??
    clientValidation(input) ??
    modelString(input) ??
    resourceDefinition(input) ??
    requestParameter(input);
  if (found) return found;
  if (has(phrases, 'support') && API_NOT_SUPPORTED_RE.test(lower)) {
    return hit('client_misconfigured', 'api_not_supported_by_model');
  }
  if (
    has(
      phrases,
      'malformed input request',
      'extraneous key',
      'parameter validation failed',
      'paramvalidationerror',
      'input is too long',
      'validation error detected',
    )
  ) {
    return hit('client_misconfigured', 'invalid_request');
  }
  return isValidationError(input) ? parameterInValidation(input) : undefined;
};
