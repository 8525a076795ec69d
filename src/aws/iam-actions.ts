// The IAM actions each of the bot's identities needs, defined once, beside the adapters that make the calls (the
// Bedrock control plane in bedrock-control.ts, STS in aws-clients.ts, SQS in ../jobs/sqs-job-queue.ts, Secrets
// Manager in slack-secrets.ts, DynamoDB in ../store). The CDK stacks build their policies from these lists, a test
// checks the README's listings against the synthesized templates, and the deploy contract test proves every call
// is granted and every grant is called.

/** What a status check reads in an account (`/bedrock status`, the check before a request). No resource ARNs. */
export const READ_ROLE_ACTIONS = [
  'bedrock:GetFoundationModel',
  'bedrock:ListFoundationModels',
  'bedrock:GetInferenceProfile',
  'bedrock:GetFoundationModelAvailability',
  'bedrock:ListFoundationModelAgreementOffers',
  'bedrock:GetUseCaseForModelAccess',
] as const;

/**
 * What an activation calls in Bedrock: the model's lifecycle first (a Legacy model is never accepted), then the
 * availability, the use-case form, the offers and the agreement.
 */
export const ACTIVATION_BEDROCK_ACTIONS = [
  'bedrock:GetFoundationModel',
  'bedrock:GetFoundationModelAvailability',
  'bedrock:ListFoundationModelAgreementOffers',
  'bedrock:CreateFoundationModelAgreement',
  'bedrock:GetUseCaseForModelAccess',
  'bedrock:PutUseCaseForModelAccess',
] as const;

/** CreateFoundationModelAgreement subscribes through Marketplace on the caller's rights; Unsubscribe is never used. */
export const ACTIVATION_MARKETPLACE_ACTIONS = [
  'aws-marketplace:Subscribe',
  'aws-marketplace:ViewSubscriptions',
] as const;

/** Only with `ACTIVATION_VERIFY=true`: one tiny Converse call proves the model answers. */
export const ACTIVATION_VERIFY_ACTIONS = ['bedrock:InvokeModel'] as const;

/** The worker's rights on a member account's read role. */
export const ASSUME_READ_ROLE_ACTIONS = ['sts:AssumeRole'] as const;

/** The worker's rights on an activation role: the approver becomes the SourceIdentity, the request a session tag. */
export const ASSUME_ACTIVATION_ROLE_ACTIONS = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'] as const;

/** Every function sends jobs to the queue (the Slack function hands work on; the others continue or re-drive it). */
export const JOB_QUEUE_SEND_ACTIONS = ['sqs:SendMessage'] as const;

/** Every function reads the Slack secret once per cold start. */
export const SLACK_SECRET_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

/** What the store's repository (src/store) calls on its table: no Scan, no BatchWriteItem, no table management. */
export const TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];
