// BedrockControlPort over the real @aws-sdk/client-bedrock client.
import {
  type BedrockClient,
  CreateFoundationModelAgreementCommand,
  type FoundationModelSummary,
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  GetUseCaseForModelAccessCommand,
  ListFoundationModelAgreementOffersCommand,
  ListFoundationModelsCommand,
  type Offer,
  PutUseCaseForModelAccessCommand,
} from '@aws-sdk/client-bedrock';
import { isAwsCallError } from '../access/aws-call-error.js';
import type { AgreementOffer, BedrockControlPort, FoundationModelInfo, ModelAvailability } from '../access/ports.js';
import { call } from './sdk-errors.js';

export function createBedrockControl(client: BedrockClient): BedrockControlPort {
  return {
    getFoundationModel: (modelId) =>
      call('GetFoundationModel', 'bedrock:GetFoundationModel', async () => {
        const out = await client.send(new GetFoundationModelCommand({ modelIdentifier: modelId }));
        if (!out.modelDetails) throw new Error('GetFoundationModel returned no modelDetails');
        return toModelInfo(out.modelDetails);
      }),
    listFoundationModels: () =>
      call('ListFoundationModels', 'bedrock:ListFoundationModels', async () => {
        const out = await client.send(new ListFoundationModelsCommand({}));
        return (out.modelSummaries ?? []).map(toModelInfo);
      }),
    getInferenceProfile: (idOrArn) =>
      call('GetInferenceProfile', 'bedrock:GetInferenceProfile', async () => {
        const out = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: idOrArn }));
        return {
          id: out.inferenceProfileId ?? idOrArn,
          arn: out.inferenceProfileArn ?? '',
          name: out.inferenceProfileName ?? '',
          type: out.type,
          modelArns: (out.models ?? []).flatMap((m) => (m.modelArn ? [m.modelArn] : [])),
        };
      }),
    getAvailability: (modelId) =>
      call('GetFoundationModelAvailability', 'bedrock:GetFoundationModelAvailability', async () => {
        const out = await client.send(new GetFoundationModelAvailabilityCommand({ modelId }));
        const availability: ModelAvailability = {
          modelId: out.modelId ?? modelId,
          agreementStatus: (out.agreementAvailability?.status ??
            'NOT_AVAILABLE') as ModelAvailability['agreementStatus'],
          agreementError: out.agreementAvailability?.errorMessage,
          authorizationStatus: out.authorizationStatus as ModelAvailability['authorizationStatus'],
          entitlementAvailability: out.entitlementAvailability as ModelAvailability['entitlementAvailability'],
          regionAvailability: out.regionAvailability as ModelAvailability['regionAvailability'],
        };
        return availability;
      }),
    listOffers: (modelId) =>
      call('ListFoundationModelAgreementOffers', 'bedrock:ListFoundationModelAgreementOffers', async () => {
        const out = await client.send(new ListFoundationModelAgreementOffersCommand({ modelId }));
        return (out.offers ?? []).flatMap(toOffer);
      }),
    createAgreement: (modelId, offerToken) =>
      call('CreateFoundationModelAgreement', 'bedrock:CreateFoundationModelAgreement', async () => {
        await client.send(new CreateFoundationModelAgreementCommand({ modelId, offerToken }));
      }),
    getUseCase: async () => {
      try {
        await call('GetUseCaseForModelAccess', 'bedrock:GetUseCaseForModelAccess', () =>
          client.send(new GetUseCaseForModelAccessCommand({})),
        );
        return { onFile: true };
      } catch (err) {
        // AWS answers 404 "You have not filled out the request form." when none is on file.
        if (isAwsCallError(err, 'not-found')) return { onFile: false };
        throw err;
      }
    },
    putUseCase: (formData) =>
      call('PutUseCaseForModelAccess', 'bedrock:PutUseCaseForModelAccess', async () => {
        await client.send(new PutUseCaseForModelAccessCommand({ formData }));
      }),
  };
}

function toModelInfo(m: FoundationModelSummary): FoundationModelInfo {
  return {
    modelId: m.modelId ?? '',
    modelArn: m.modelArn ?? '',
    modelName: m.modelName,
    providerName: m.providerName,
    lifecycle: m.modelLifecycle?.status,
    inferenceTypes: (m.inferenceTypesSupported ?? []).map(String),
  };
}

function toOffer(o: Offer): AgreementOffer[] {
  if (!o.offerToken) return [];
  const pricing = (o.termDetails?.usageBasedPricingTerm?.rateCard ?? []).map((r) =>
    [r.dimension ?? r.description ?? 'usage', r.price ? `${r.price}${r.unit ? ` per ${r.unit}` : ''}` : '']
      .filter(Boolean)
      .join(': '),
  );
  return [{ offerToken: o.offerToken, offerId: o.offerId, termsUrl: o.termDetails?.legalTerm?.url, pricing }];
}
