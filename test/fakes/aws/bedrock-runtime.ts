// Bedrock runtime (restJson1 over h2): Converse and InvokeModel with the first-use behaviour of the model-access docs:
// a caller with Marketplace rights auto-subscribes the account; one without gets the exact AccessDenied texts.
import type { RestResult } from './bedrock-control.js';
import { type Caller, FakeServiceError, type WireRequest } from './protocol.js';
import type { FakeAwsWorld } from './world.js';

const MARKETPLACE_DENIED =
  'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace ' +
  'actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to ' +
  'the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be ' +
  'completed at this time. If you recently fixed this issue, try again after 2 minutes.';
const FTU_MISSING =
  'Model use case details have not been submitted for this account. Fill out the Anthropic use case details form ' +
  'before using the model. If you have already filled out the form, try again in 15 minutes.';
const EOL =
  'This model version has reached the end of its life. Please refer to the AWS documentation for more details.';
const LEGACY =
  'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the ' +
  'last 30 days. Please upgrade to an active model on Amazon Bedrock';

export function matchRuntimeRoute(
  method: string,
  path: string,
): { operation: 'Converse' | 'InvokeModel'; label: string } | undefined {
  const m = method === 'POST' ? /^\/model\/([^/]+)\/(converse|invoke)$/.exec(path) : null;
  if (!m) return undefined;
  return { operation: m[2] === 'converse' ? 'Converse' : 'InvokeModel', label: decodeURIComponent(m[1] ?? '') };
}

export function handleRuntime(
  world: FakeAwsWorld,
  caller: Caller,
  _req: WireRequest,
  operation: 'Converse' | 'InvokeModel',
  ref: string,
): RestResult {
  const resource = ref.startsWith('arn:') ? ref : `arn:aws:bedrock:${caller.region}::foundation-model/${ref}`;
  const denied = world.authorize(caller.credential.principal, caller.arn, 'bedrock:InvokeModel', resource);
  if (denied) throw new FakeServiceError('AccessDeniedException', 403, denied, 'Message');

  const found = world.findModel(ref);
  const inRegion = found && (found.profile ?? found.model).regions.includes(caller.region);
  if (!found || !inRegion)
    throw new FakeServiceError('ValidationException', 400, 'The provided model identifier is invalid.');
  const { model, profile } = found;
  if (model.lifecycle === 'EOL') throw new FakeServiceError('ResourceNotFoundException', 404, EOL);
  if (model.lifecycle === 'LEGACY') throw new FakeServiceError('ResourceNotFoundException', 404, LEGACY);
  const types = model.inferenceTypes ?? ['ON_DEMAND'];
  if (!profile && !types.includes('ON_DEMAND')) {
    throw new FakeServiceError(
      'ValidationException',
      400,
      `Invocation of model ID ${model.modelId} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
    );
  }
  const accountId = caller.credential.principal.accountId;
  if (world.needsUseCaseForm(model) && !world.accounts.get(accountId)?.useCaseForm) {
    throw new FakeServiceError('ResourceNotFoundException', 404, FTU_MISSING);
  }
  if (world.isMarketplace(model)) {
    const agreement = world.agreement(accountId, model.modelId);
    if (!agreement || agreement.status === 'ERROR') {
      // First use subscribes in the background, with the caller's Marketplace rights.
      const canSubscribe = ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'].every(
        (a) => !world.authorize(caller.credential.principal, caller.arn, a, '*'),
      );
      if (!canSubscribe) throw new FakeServiceError('AccessDeniedException', 403, MARKETPLACE_DENIED);
      world.createAgreement(accountId, model, caller.arn);
    }
  }
  if (operation === 'InvokeModel') {
    return { status: 200, body: { id: 'msg_fake', type: 'message', content: [{ type: 'text', text: 'OK' }] } };
  }
  return {
    status: 200,
    body: {
      output: { message: { role: 'assistant', content: [{ text: 'OK' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 5, outputTokens: 1, totalTokens: 6 },
      metrics: { latencyMs: 12 },
    },
  };
}
