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
import { call, sendOptions } from './sdk-errors.js';

export function createBedrockControl(client: BedrockClient): BedrockControlPort {
  return {
    getFoundationModel: (modelId, options) =>
      call('GetFoundationModel', 'bedrock:GetFoundationModel', async () => {
        const out = await client.send(
          new GetFoundationModelCommand({ modelIdentifier: modelId }),
          sendOptions(options),
        );
        if (!out.modelDetails) throw new Error('GetFoundationModel returned no modelDetails');
        return toModelInfo(out.modelDetails);
      }),
    listFoundationModels: (options) =>
      call('ListFoundationModels', 'bedrock:ListFoundationModels', async () => {
        const out = await client.send(new ListFoundationModelsCommand({}), sendOptions(options));
        return (out.modelSummaries ?? []).map(toModelInfo);
      }),
    getInferenceProfile: (idOrArn, options) =>
      call('GetInferenceProfile', 'bedrock:GetInferenceProfile', async () => {
        const out = await client.send(
          new GetInferenceProfileCommand({ inferenceProfileIdentifier: idOrArn }),
          sendOptions(options),
        );
        return {
          id: out.inferenceProfileId ?? idOrArn,
          arn: out.inferenceProfileArn ?? '',
          name: out.inferenceProfileName ?? '',
          type: out.type,
          modelArns: (out.models ?? []).flatMap((m) => (m.modelArn ? [m.modelArn] : [])),
        };
      }),
    getAvailability: (modelId, options) =>
      call('GetFoundationModelAvailability', 'bedrock:GetFoundationModelAvailability', async () => {
        const out = await client.send(new GetFoundationModelAvailabilityCommand({ modelId }), sendOptions(options));
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
    listOffers: (modelId, options) =>
      call('ListFoundationModelAgreementOffers', 'bedrock:ListFoundationModelAgreementOffers', async () => {
        const out = await client.send(new ListFoundationModelAgreementOffersCommand({ modelId }), sendOptions(options));
        return (out.offers ?? []).flatMap(toOffer);
      }),
    createAgreement: (modelId, offerToken, options) =>
      call('CreateFoundationModelAgreement', 'bedrock:CreateFoundationModelAgreement', async () => {
        await client.send(new CreateFoundationModelAgreementCommand({ modelId, offerToken }), sendOptions(options));
      }),
    getUseCase: async (options) => {
      try {
        await call('GetUseCaseForModelAccess', 'bedrock:GetUseCaseForModelAccess', () =>
          client.send(new GetUseCaseForModelAccessCommand({}), sendOptions(options)),
        );
        return { onFile: true };
      } catch (err) {
        // AWS answers 404 "You have not filled out the request form." when none is on file.
        if (isAwsCallError(err, 'not-found')) return { onFile: false };
        throw err;
      }
    },
    putUseCase: (formData, options) =>
      call('PutUseCaseForModelAccess', 'bedrock:PutUseCaseForModelAccess', async () => {
        await client.send(new PutUseCaseForModelAccessCommand({ formData }), sendOptions(options));
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
