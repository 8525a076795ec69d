// The request was refused as malformed (by Bedrock, the SDK, a framework or a deploy tool): say what was wrong,
// quote the service's own words, and how to send it right. Access is fine in every one of these.
import type { RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext, text } from './context.js';

interface RequestText {
  title: string;
  explanation: string;
  steps: RemediationStep[];
}

const MODEL_PARAMETERS_DOC = text('https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters.html');

const REQUEST_TEXT: Record<string, RequestText> = {
  conversation_shape: {
    title: 'Bedrock rejected the shape of the conversation',
    explanation:
      'The messages sent do not follow the Converse/Messages rules: the conversation must start with a user ' +
      'message, roles must alternate user/assistant, every content block needs non-empty text, and each tool use ' +
      'must be answered by a tool result in the next user message. Frameworks break this when memory, sliding ' +
      'windows or system-only prompts drop or merge messages.',
    steps: [
      {
        title: 'Log the exact messages array sent and fix its order or its empty blocks',
        detail:
          'Put the system prompt in the separate system field, start with a user message, merge consecutive ' +
          'messages of the same role, and drop or fill blank text blocks.',
        recommended: true,
      },
    ],
  },
  client_validation: {
    title: 'The SDK refused the request before sending it',
    explanation:
      'A required parameter is empty or missing, so the SDK could not build the HTTP request (nothing reached ' +
      'AWS). An empty model id usually means an unset environment variable or configuration key.',
    steps: [
      {
        title: 'Set the parameter the message names (often the model id) and check where its value comes from',
        detail: 'Print the value just before the call: an unset variable reads as an empty string.',
        recommended: true,
      },
    ],
  },
  model_string_rejected: {
    title: 'The framework or gateway in front of Bedrock does not recognise the model string',
    explanation:
      'The tool between your code and Bedrock (LiteLLM, a gateway such as bedrock-access-gateway, a proxy) could ' +
      'not map the model string to a provider or route. Inference-profile ids (us./eu./global. prefixes) and ' +
      'application-inference-profile ARNs are the usual cases: older releases only know bare foundation-model ids.',
    steps: [
      {
        title: 'Tell the tool which API to use for the model',
        detail:
          'LiteLLM: prefix the id with bedrock/converse/ (e.g. bedrock/converse/us.anthropic.…) or upgrade LiteLLM. ' +
          'Gateways: list the models they support (their /models route) and use one of those ids, or upgrade them.',
        recommended: true,
      },
    ],
  },
  api_not_supported_by_model: {
    title: 'The model does not serve the API it was called on',
    explanation:
      'The model exists, but not behind this API: embedding models have no chat completions, some models have no ' +
      'Converse or Responses support, and OpenAI-compatible endpoints serve only the models listed for them.',
    steps: [
      {
        title: 'Call the model through an API it supports, or pick a model that supports this API',
        code: bash(
          'aws bedrock get-foundation-model --model-identifier <model-id> --query "modelDetails.[inferenceTypesSupported,outputModalities]"',
        ),
        recommended: true,
      },
    ],
  },
  request_parameter: {
    title: 'A request parameter is not accepted by this model',
    explanation:
      'The model does not take one of the parameters sent (tool use, a sampling setting, a field of another ' +
      'provider’s format) or a value is outside its limits (max tokens above the model’s maximum).',
    steps: [
      {
        title: 'Remove the parameter or bring its value within the model’s limits',
        detail: 'Each provider’s request format and limits are listed in the model parameters reference.',
        code: MODEL_PARAMETERS_DOC,
        recommended: true,
      },
    ],
  },
  invalid_request: {
    title: 'Bedrock rejected the request body or parameters',
    explanation:
      'The call reached Bedrock but its parameters do not match what the model or API accepts (a wrong body ' +
      'format for the model family, an unknown key, a setting that names a missing resource, or too long an ' +
      'input). This is not an access problem.',
    steps: [
      {
        title: 'Compare the request with the model’s documented request format',
        detail: 'Converse offers one format for all models; InvokeModel bodies differ per provider.',
        code: MODEL_PARAMETERS_DOC,
        recommended: true,
      },
    ],
  },
  resource_definition: {
    title: 'The deploy tool refused the Bedrock resource definition',
    explanation:
      'Terraform, CloudFormation or CDK sent a resource whose properties do not match the resource schema (a ' +
      'wrong type, a missing required property, a value the service rejects). Nothing was created.',
    steps: [
      {
        title: 'Fix the property the message names against the resource’s schema',
        detail:
          'The CloudFormation resource reference lists each property’s type; Terraform’s awscc provider uses the same schema.',
        code: bash(
          'aws cloudformation describe-type --type RESOURCE --type-name AWS::Bedrock::<Resource> --query Schema',
        ),
        recommended: true,
      },
    ],
  },
  option_rejected: {
    title: 'The tool does not accept the value it was given',
    explanation:
      'A command-line tool (not AWS) refused an option value: the value is not among the choices it lists. For ' +
      'Bedrock this usually means the tool, or this version of it, has no Bedrock support under that name.',
    steps: [
      {
        title: 'Pick a value from the tool’s list, or upgrade the tool to a version that supports Bedrock',
        detail: 'The error lists the values it accepts; the tool’s release notes say when Bedrock was added.',
        recommended: true,
      },
    ],
  },
  cross_account_pass_role: {
    title: 'The role passed to Bedrock belongs to another account',
    explanation:
      'Bedrock jobs and resources (batch inference, customization, knowledge bases, agents) take a service role ' +
      'that must be in the same account as the caller; iam:PassRole does not cross accounts.',
    steps: [
      {
        title: 'Create (or pick) the service role in the same account as the caller and pass that one',
        detail:
          'Its trust policy must allow bedrock.amazonaws.com; give it access to the other account’s data instead.',
        recommended: true,
      },
    ],
  },
};

export function requestRemedy(ctx: RemedyContext): Remedy | undefined {
  const entry = REQUEST_TEXT[ctx.flavour];
  if (!entry) return undefined;
  const said = ctx.clues.serviceMessage();
  return {
    title: entry.title,
    explanation: said ? `${entry.explanation} The message says: “${said}”` : entry.explanation,
    steps: entry.steps,
    notes: ['Access is not the problem: the same call with a well-formed request would be authorised.'],
    activationCanHelp: false,
  };
}
