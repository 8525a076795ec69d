// Hand-made diagnoses and status reports for rendering tests (the real engines have their own tests).
import type { StatusReport, Verdict } from '../../../src/access/status-report.js';
import type { Diagnosis } from '../../../src/diagnosis/types.js';

export function aDiagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    category: 'marketplace_subscription_missing',
    cause: 'marketplace_subscription_missing.first_use',
    title: 'The model was never activated: the caller lacks AWS Marketplace rights',
    explanation:
      'The first call to a third-party model subscribes the account through AWS Marketplace. The caller cannot ' +
      'subscribe, so every call is denied until someone activates the model once.',
    facts: {
      exception: 'AccessDeniedException',
      operation: 'InvokeModel',
      modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      baseModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      provider: 'anthropic',
      region: 'us-east-1',
      actions: ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'],
    },
    steps: [
      {
        title: 'Ask an admin to activate the model once',
        detail: 'An admin with Marketplace rights invokes the model once, or runs the agreement API.',
        recommended: true,
        code: { language: 'bash', content: 'aws bedrock list-foundation-model-agreement-offers --model-id x' },
      },
      {
        title: 'Or grant the Marketplace actions',
        code: {
          language: 'json',
          content: '{"Effect":"Allow","Action":["aws-marketplace:Subscribe","aws-marketplace:ViewSubscriptions"]}',
        },
      },
    ],
    notes: ['A new subscription takes up to 2 minutes to settle.'],
    activationCanHelp: true,
    ...overrides,
  };
}

export const UNKNOWN_DIAGNOSIS: Diagnosis = {
  category: 'unknown',
  cause: 'unknown',
  title: 'Not a recognised Bedrock error',
  explanation: 'Nothing in the text matches a known Bedrock access error.',
  facts: {},
  steps: [],
  notes: [],
  activationCanHelp: false,
};

export function aStatusReport(verdict: Verdict, overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    modelRef: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    baseModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    modelName: 'Claude 3.5 Sonnet',
    providerName: 'Anthropic',
    account: { id: '123456789012', alias: 'default' },
    callerArn: 'arn:aws:sts::123456789012:assumed-role/bedrock-doctor/session',
    verdict,
    title: `Verdict ${verdict}`,
    explanation: `Explanation for ${verdict}.`,
    nextStep: `Next step for ${verdict}.`,
    suggestions: [],
    regions: [{ region: 'us-east-1', verdict, summary: `us-east-1 is ${verdict}` }],
    missingPermissions: [],
    degraded: [],
    checkedAt: '2026-11-26T10:00:00.000Z',
    ...overrides,
  };
}
