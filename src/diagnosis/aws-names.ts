// AWS names the diagnosis recognises: operations (with the surface they belong to), regions, exception names.
import type { Surface } from './types.js';

/** Bedrock (and neighbour) operations we can name, with the part of Bedrock they belong to. */
const OPERATION_SURFACES: Record<string, Surface | undefined> = {
  InvokeModel: 'model_invocation',
  InvokeModelWithResponseStream: 'model_invocation',
  InvokeModelWithBidirectionalStream: 'model_invocation',
  Converse: 'model_invocation',
  ConverseStream: 'model_invocation',
  ApplyGuardrail: 'model_invocation',
  CountTokens: 'model_invocation',
  StartAsyncInvoke: 'model_invocation',
  GetAsyncInvoke: 'model_invocation',
  ListFoundationModels: 'control_plane',
  GetFoundationModel: 'control_plane',
  GetFoundationModelAvailability: 'control_plane',
  ListFoundationModelAgreementOffers: 'control_plane',
  CreateFoundationModelAgreement: 'control_plane',
  DeleteFoundationModelAgreement: 'control_plane',
  PutUseCaseForModelAccess: 'control_plane',
  GetUseCaseForModelAccess: 'control_plane',
  PutFoundationModelEntitlement: 'control_plane',
  ListInferenceProfiles: 'control_plane',
  GetInferenceProfile: 'control_plane',
  CreateInferenceProfile: 'control_plane',
  DeleteInferenceProfile: 'control_plane',
  ListCustomModels: 'control_plane',
  GetCustomModel: 'control_plane',
  CreateModelCustomizationJob: 'control_plane',
  CreateModelInvocationJob: 'control_plane',
  GetModelInvocationJob: 'control_plane',
  ListModelInvocationJobs: 'control_plane',
  CreateProvisionedModelThroughput: 'control_plane',
  ListProvisionedModelThroughputs: 'control_plane',
  CreateGuardrail: 'control_plane',
  ListGuardrails: 'control_plane',
  GetModelInvocationLoggingConfiguration: 'control_plane',
  PutModelInvocationLoggingConfiguration: 'control_plane',
  InvokeAgent: 'agent',
  InvokeInlineAgent: 'agent',
  Retrieve: 'agent',
  RetrieveAndGenerate: 'agent',
  RetrieveAndGenerateStream: 'agent',
  InvokeFlow: 'agent',
  CreateAgent: 'agent',
  UpdateAgent: 'agent',
  PrepareAgent: 'agent',
  GetAgent: 'agent',
  ListAgents: 'agent',
  CreateAgentAlias: 'agent',
  CreateAgentActionGroup: 'agent',
  InvokeAgentRuntime: 'agent',
  StartIngestionJob: 'knowledge_base_sync',
  GetIngestionJob: 'knowledge_base_sync',
  ListIngestionJobs: 'knowledge_base_sync',
  IngestKnowledgeBaseDocuments: 'knowledge_base_sync',
  CreateKnowledgeBase: 'knowledge_base_sync',
  CreateDataSource: 'knowledge_base_sync',
  GetCallerIdentity: undefined,
  AssumeRole: undefined,
  ListServiceQuotas: undefined,
};

const BY_LOWER = new Map(Object.keys(OPERATION_SURFACES).map((op) => [op.toLowerCase(), op]));

/** The canonical operation name for a spelling such as `invoke_model`, `get-foundation-model` or `converse`. */
export function knownOperation(spelling: string): string | undefined {
  return BY_LOWER.get(spelling.replace(/[-_]/g, '').toLowerCase());
}

export function surfaceOfOperation(operation: string): Surface | undefined {
  return OPERATION_SURFACES[operation];
}

/** Operations served by the control-plane endpoint (`bedrock.<region>`), not the runtime one. */
export function isControlPlaneOperation(operation: string): boolean {
  return OPERATION_SURFACES[operation] === 'control_plane';
}

/** Operations served by the runtime endpoint (`bedrock-runtime.<region>`). */
export function isRuntimeOperation(operation: string): boolean {
  return OPERATION_SURFACES[operation] === 'model_invocation';
}

/** One region shape for the whole app (config, Slack and diagnosis agree on what a region looks like). */
export { REGION_PATTERN } from '../aws-shapes.js';

/** Regions where Bedrock has long been offered: a connection failure there is the network, not the region. */
export const ESTABLISHED_BEDROCK_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'us-gov-west-1',
  'us-gov-east-1',
]);

/**
 * Error names an AWS SDK or the service reports, longest first so alternation prefers `ExpiredTokenException`
 * over `ExpiredToken`. Matched case-insensitively: event streams report lower-camel names.
 */
export const KNOWN_EXCEPTIONS = [
  // Codes from Bedrock's API error-code table that do not end in Exception.
  'MPAgreementBeingCreated',
  'IncompleteSignature',
  'FTUFormNotFilled',
  'ServiceQuotaExceededException',
  'ModelStreamErrorException',
  'ServiceUnavailableException',
  'UnrecognizedClientException',
  'UnknownOperationException',
  'InvalidSignatureException',
  'ResourceNotFoundException',
  'InternalServerException',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'ModelErrorException',
  'AccessDeniedException',
  'ValidationException',
  'ThrottlingException',
  'ConflictException',
  'ExpiredTokenException',
  'RegionDisabledException',
  'TooManyRequestsException',
  'UnauthorizedSSOTokenError',
  'CredentialsProviderError',
  'EndpointConnectionError',
  'UnknownServiceError',
  'ParamValidationError',
  'SSOTokenLoadError',
  'TokenRetrievalError',
  'NoCredentialsError',
  'NoRegionError',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'ProfileNotFound',
  'ExpiredToken',
  'AccessDenied',
] as const;
