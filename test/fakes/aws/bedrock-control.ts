// Bedrock control plane (restJson1): the model catalogue, availability, offers, agreements, the use-case form.
import { randomBytes } from 'node:crypto';
import { type Caller, FakeServiceError, timestamp, type WireRequest } from './protocol.js';
import type { FakeAwsWorld, FakeInferenceProfile, FakeModel } from './world.js';

export interface RestResult {
  status: number;
  body: unknown;
}

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  action: string;
  handle: (world: FakeAwsWorld, caller: Caller, req: WireRequest, label: string) => RestResult;
}

const INVALID_ID = 'The provided model identifier is invalid.';

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/foundation-models$/,
    operation: 'ListFoundationModels',
    action: 'bedrock:ListFoundationModels',
    handle: (world, caller, req) => {
      const provider = req.query.get('byProvider')?.toLowerCase();
      const inference = req.query.get('byInferenceType');
      const models = world.models.filter(
        (m) =>
          listed(m, caller.region) &&
          (!provider || m.providerName.toLowerCase() === provider) &&
          (!inference || inferenceTypes(m).includes(inference)),
      );
      return { status: 200, body: { modelSummaries: models.map((m) => modelShape(m, caller.region)) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/foundation-models\/([^/]+)$/,
    operation: 'GetFoundationModel',
    action: 'bedrock:GetFoundationModel',
    handle: (world, caller, _req, label) => {
      const found = world.findModel(label);
      if (!found || found.profile || !listed(found.model, caller.region)) {
        throw new FakeServiceError(
          'ResourceNotFoundException',
          404,
          'Could not resolve the foundation model from the provided model identifier.',
        );
      }
      return { status: 200, body: { modelDetails: modelShape(found.model, caller.region) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/foundation-model-availability\/([^/]+)$/,
    operation: 'GetFoundationModelAvailability',
    action: 'bedrock:GetFoundationModelAvailability',
    handle: (world, caller, _req, label) => {
      const model = modelOrThrow(world, label);
      const inRegion = listed(model, caller.region);
      const accountId = caller.credential.principal.accountId;
      const agreement = world.agreement(accountId, model.modelId);
      const status = !world.isMarketplace(model) ? 'AVAILABLE' : (agreement?.status ?? 'NOT_AVAILABLE');
      return {
        status: 200,
        body: {
          modelId: label,
          agreementAvailability: {
            status,
            ...(status === 'ERROR' && agreement?.errorMessage ? { errorMessage: agreement.errorMessage } : {}),
          },
          authorizationStatus: 'AUTHORIZED',
          entitlementAvailability: inRegion ? 'AVAILABLE' : 'NOT_AVAILABLE',
          regionAvailability: inRegion ? 'AVAILABLE' : 'NOT_AVAILABLE',
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/list-foundation-model-agreement-offers\/([^/]+)$/,
    operation: 'ListFoundationModelAgreementOffers',
    action: 'bedrock:ListFoundationModelAgreementOffers',
    handle: (world, caller, _req, label) => {
      const model = modelOrThrow(world, label);
      if (!world.isMarketplace(model) || model.offerless || !listed(model, caller.region)) {
        return { status: 200, body: { modelId: label, offers: [] } };
      }
      // Offer tokens change over time; only the latest listed token is accepted by Create.
      const offerToken = `offer-token-${randomBytes(12).toString('hex')}`;
      world.offerTokens.set(offerToken, model.modelId);
      return {
        status: 200,
        body: {
          modelId: label,
          offers: [
            {
              offerId: `offer-${model.modelId.replace(/[^a-z0-9]/g, '').slice(0, 20)}`,
              offerToken,
              termDetails: {
                usageBasedPricingTerm: {
                  rateCard: [
                    {
                      dimension: 'input_tokens',
                      price: '0.003',
                      description: 'per 1K input tokens',
                      unit: '1K tokens',
                    },
                    {
                      dimension: 'output_tokens',
                      price: '0.015',
                      description: 'per 1K output tokens',
                      unit: '1K tokens',
                    },
                  ],
                },
                legalTerm: {
                  url: model.termsUrl ?? `https://aws.amazon.com/legal/bedrock/third-party-models/#${model.modelId}`,
                },
                supportTerm: { refundPolicyDescription: 'No refunds.' },
              },
            },
          ],
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: /^\/create-foundation-model-agreement$/,
    operation: 'CreateFoundationModelAgreement',
    action: 'bedrock:CreateFoundationModelAgreement',
    handle: (world, caller, req) => {
      const input = jsonBody(req);
      const modelId = str(input.modelId, 'modelId');
      const offerToken = str(input.offerToken, 'offerToken');
      const model = modelOrThrow(world, modelId);
      if (world.offerTokens.get(offerToken) !== model.modelId) {
        throw new FakeServiceError('ValidationException', 400, 'The provided offer token is invalid or has expired.');
      }
      // Creating an agreement subscribes through AWS Marketplace, so the caller needs those rights too.
      for (const action of ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe']) {
        const denied = world.authorize(caller.credential.principal, caller.arn, action, '*');
        if (denied) throw new FakeServiceError('AccessDeniedException', 403, denied);
      }
      const accountId = caller.credential.principal.accountId;
      const existing = world.agreement(accountId, model.modelId);
      if (existing && existing.status !== 'ERROR') {
        throw new FakeServiceError(
          'ConflictException',
          400,
          `An agreement for model ${model.modelId} already exists or is being processed.`,
        );
      }
      world.createAgreement(accountId, model, caller.arn);
      if (world.needsUseCaseForm(model) && !world.accounts.get(accountId)?.useCaseForm) {
        const agreement = world.agreements.get(`${accountId}|${model.modelId}`);
        if (agreement) {
          agreement.outcome = {
            status: 'ERROR',
            errorMessage: 'Model use case details have not been submitted for this account.',
          };
        }
      }
      return { status: 202, body: { modelId } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/delete-foundation-model-agreement$/,
    operation: 'DeleteFoundationModelAgreement',
    action: 'bedrock:DeleteFoundationModelAgreement',
    handle: (world, caller, req) => {
      const model = modelOrThrow(world, str(jsonBody(req).modelId, 'modelId'));
      world.agreements.delete(`${caller.credential.principal.accountId}|${model.modelId}`);
      return { status: 202, body: {} };
    },
  },
  {
    method: 'GET',
    pattern: /^\/use-case-for-model-access$/,
    operation: 'GetUseCaseForModelAccess',
    action: 'bedrock:GetUseCaseForModelAccess',
    handle: (world, caller) => {
      const form = world.accounts.get(caller.credential.principal.accountId)?.useCaseForm;
      if (!form)
        throw new FakeServiceError('ResourceNotFoundException', 404, 'You have not filled out the request form.');
      return { status: 200, body: { formData: form.toString('base64') } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/use-case-for-model-access$/,
    operation: 'PutUseCaseForModelAccess',
    action: 'bedrock:PutUseCaseForModelAccess',
    handle: (world, caller, req) => {
      const form = Buffer.from(str(jsonBody(req).formData, 'formData'), 'base64');
      if (form.length < 10 || form.length > 16_384) {
        throw new FakeServiceError(
          'ValidationException',
          400,
          "1 validation error detected: Value at 'formData' failed to satisfy constraint: Member must have length between 10 and 16384",
        );
      }
      const account = world.accounts.get(caller.credential.principal.accountId);
      if (account) account.useCaseForm = form;
      return { status: 201, body: {} };
    },
  },
  {
    method: 'GET',
    pattern: /^\/inference-profiles$/,
    operation: 'ListInferenceProfiles',
    action: 'bedrock:ListInferenceProfiles',
    handle: (world, caller, req) => {
      const type = req.query.get('type');
      const profiles = world.profiles.filter(
        (p) => p.regions.includes(caller.region) && (!type || (p.type ?? 'SYSTEM_DEFINED') === type),
      );
      return {
        status: 200,
        body: { inferenceProfileSummaries: profiles.map((p) => profileShape(p, caller)) },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/inference-profiles\/([^/]+)$/,
    operation: 'GetInferenceProfile',
    action: 'bedrock:GetInferenceProfile',
    handle: (world, caller, _req, label) => {
      const arn = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d{12}:(application-)?inference-profile\/(.+)$/.exec(label);
      const id = arn?.[2] ?? label;
      const profile = world.profiles.find((p) => p.id === id && p.regions.includes(caller.region));
      if (!profile) {
        throw new FakeServiceError('ResourceNotFoundException', 404, 'The specified inference profile does not exist.');
      }
      return { status: 200, body: profileShape(profile, caller) };
    },
  },
];

export function matchControlRoute(method: string, path: string): { route: Route; label: string } | undefined {
  for (const route of ROUTES) {
    const m = route.method === method ? route.pattern.exec(path) : null;
    if (m) return { route, label: decodeURIComponent(m[1] ?? '') };
  }
  return undefined;
}

/** Resource ARN a denial message names, as Bedrock's IAM errors do. */
export function controlResource(caller: Caller, label: string): string {
  if (!label) return '*';
  return label.startsWith('arn:') ? label : `arn:aws:bedrock:${caller.region}::foundation-model/${label}`;
}

function listed(m: FakeModel, region: string): boolean {
  return m.regions.includes(region) && m.lifecycle !== 'EOL';
}

function inferenceTypes(m: FakeModel): string[] {
  return m.inferenceTypes ?? ['ON_DEMAND'];
}

function modelOrThrow(world: FakeAwsWorld, ref: string): FakeModel {
  const found = world.findModel(ref);
  // End-of-life models are gone from the catalogue altogether.
  if (!found || found.model.lifecycle === 'EOL')
    throw new FakeServiceError('ResourceNotFoundException', 404, INVALID_ID);
  return found.model;
}

function modelShape(m: FakeModel, region: string) {
  const start = Date.UTC(2025, 0, 15);
  return {
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${m.modelId}`,
    modelId: m.modelId,
    modelName: m.modelName,
    providerName: m.providerName,
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: inferenceTypes(m),
    modelLifecycle: {
      status: m.lifecycle === 'LEGACY' ? 'LEGACY' : 'ACTIVE',
      startOfLifeTime: timestamp(start),
      ...(m.lifecycle === 'LEGACY'
        ? { legacyTime: timestamp(Date.UTC(2026, 5, 1)), endOfLifeTime: timestamp(Date.UTC(2027, 0, 1)) }
        : {}),
    },
  };
}

function profileShape(p: FakeInferenceProfile, caller: Caller) {
  const account = caller.credential.principal.accountId;
  const type = p.type ?? 'SYSTEM_DEFINED';
  return {
    inferenceProfileName: p.name,
    inferenceProfileId: p.id,
    inferenceProfileArn:
      type === 'APPLICATION'
        ? `arn:aws:bedrock:${caller.region}:${account}:application-inference-profile/${p.id}`
        : `arn:aws:bedrock:${caller.region}:${account}:inference-profile/${p.id}`,
    models: p.regions.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${p.modelId}` })),
    status: 'ACTIVE',
    type,
    createdAt: timestamp(Date.UTC(2025, 0, 15)),
    updatedAt: timestamp(Date.UTC(2025, 0, 15)),
    description: `Routes requests to ${p.modelId} in ${p.regions.join(', ')}.`,
  };
}

function jsonBody(req: WireRequest): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // fall through to the validation error below
  }
  throw new FakeServiceError('SerializationException', 400, 'Request body is not valid JSON.');
}

function str(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new FakeServiceError(
      'ValidationException',
      400,
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
