// infra: deployed once in every member account (the bot's own included) — the read role and the activation role the
// bot's functions assume there. Parameters rather than context, so the synthesized template serves a StackSet too.
import { CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import { ArnPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ACTIVATION_ROLE_NAME, READ_ROLE_NAME, RECONCILER_ROLE_NAME, WORKER_ROLE_NAME } from './names.js';

/** What status checks read (README "IAM permissions"); none of these APIs takes a resource ARN. */
export const READ_ACTIONS = [
  'bedrock:GetFoundationModel',
  'bedrock:ListFoundationModels',
  'bedrock:GetInferenceProfile',
  'bedrock:GetFoundationModelAvailability',
  'bedrock:ListFoundationModelAgreementOffers',
  'bedrock:GetUseCaseForModelAccess',
];

/** The model's lifecycle (read before any write), availability, offers, the agreement and the use-case form. */
export const ACTIVATION_BEDROCK_ACTIONS = [
  'bedrock:GetFoundationModel',
  'bedrock:GetFoundationModelAvailability',
  'bedrock:ListFoundationModelAgreementOffers',
  'bedrock:CreateFoundationModelAgreement',
  'bedrock:GetUseCaseForModelAccess',
  'bedrock:PutUseCaseForModelAccess',
];

/** CreateFoundationModelAgreement subscribes through Marketplace on the caller's rights; Unsubscribe is never used. */
export const ACTIVATION_MARKETPLACE_ACTIONS = ['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'];

export interface MemberAccountStackProps extends StackProps {
  /** The account the bot's functions run in; else a `BotAccountId` parameter. */
  botAccountId?: string;
  /** The ExternalId both roles require (the account's `externalId` in the registry); else an `ExternalId` parameter. */
  externalId?: string;
  /** Adds bedrock:InvokeModel to the activation role, for `ACTIVATION_VERIFY=true`. @default false */
  verifyWithInvoke?: boolean;
}

export class MemberAccountStack extends Stack {
  readonly readRole: Role;
  readonly activationRole: Role;

  constructor(scope: Construct, id: string, props: MemberAccountStackProps = {}) {
    super(scope, id, props);
    const botAccount =
      props.botAccountId ??
      new CfnParameter(this, 'BotAccountId', {
        type: 'String',
        allowedPattern: '^\\d{12}$',
        description: 'The AWS account the bedrock-doctor functions run in',
      }).valueAsString;
    const externalId =
      props.externalId ??
      new CfnParameter(this, 'ExternalId', {
        type: 'String',
        allowedPattern: '^[\\w+=,.@:/-]{2,1224}$',
        description: 'ExternalId the bot sends when it assumes these roles (its accounts registry "externalId")',
      }).valueAsString;
    const partition = Stack.of(this).partition;
    const botRole = (name: string) => new ArnPrincipal(`arn:${partition}:iam::${botAccount}:role/${name}`);
    const withExternalId = { StringEquals: { 'sts:ExternalId': externalId } };

    this.readRole = new Role(this, 'ReadRole', {
      roleName: READ_ROLE_NAME,
      description: 'bedrock-doctor reads model status here',
      assumedBy: botRole(WORKER_ROLE_NAME).withConditions(withExternalId),
      inlinePolicies: {
        read: new PolicyDocument({ statements: [new PolicyStatement({ actions: READ_ACTIONS, resources: ['*'] })] }),
      },
    });
    this.readRole.assumeRolePolicy?.addStatements(
      new PolicyStatement({
        actions: ['sts:AssumeRole'],
        principals: [botRole(RECONCILER_ROLE_NAME)],
        conditions: withExternalId,
      }),
    );

    // Trusts only the worker, and only with the ExternalId and a SourceIdentity (the approver, kept in CloudTrail).
    const requireSourceIdentity = { StringLike: { 'sts:SourceIdentity': '*' } };
    this.activationRole = new Role(this, 'ActivationRole', {
      roleName: ACTIVATION_ROLE_NAME,
      description: 'bedrock-doctor activates approved models here',
      assumedBy: botRole(WORKER_ROLE_NAME).withConditions({ ...withExternalId, ...requireSourceIdentity }),
      inlinePolicies: {
        activate: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: [...ACTIVATION_BEDROCK_ACTIONS, ...(props.verifyWithInvoke ? ['bedrock:InvokeModel'] : [])],
              resources: ['*'],
            }),
            // Marketplace is global: no region condition may apply to these.
            new PolicyStatement({ actions: ACTIVATION_MARKETPLACE_ACTIONS, resources: ['*'] }),
          ],
        }),
      },
    });
    this.activationRole.assumeRolePolicy?.addStatements(
      new PolicyStatement({
        actions: ['sts:SetSourceIdentity', 'sts:TagSession'],
        principals: [botRole(WORKER_ROLE_NAME)],
        conditions: requireSourceIdentity,
      }),
    );
  }
}
