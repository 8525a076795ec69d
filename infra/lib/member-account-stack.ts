// infra: deployed in every member account (the bot's own included) — the read role and the activation role the
// bot's worker assumes there. Everything that differs between accounts is a parameter, and the template carries no
// CDK bootstrap parameter or rule, so the same template deploys as a service-managed StackSet to a whole OU.
import { CfnCondition, CfnParameter, DefaultStackSynthesizer, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { ArnPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  ACTIVATION_BEDROCK_ACTIONS,
  ACTIVATION_MARKETPLACE_ACTIONS,
  ACTIVATION_VERIFY_ACTIONS,
  READ_ROLE_ACTIONS,
} from '../../src/aws/iam-actions.js';
import { DEFAULT_STAGE, type RoleKind, roleName, STAGE_PATTERN } from './names.js';

export interface MemberAccountStackProps extends Omit<StackProps, 'synthesizer'> {
  /** Default of the `BotAccountId` parameter: the account the bot's functions run in. */
  botAccountId?: string;
  /** Default of the `ExternalId` parameter: one value for the whole organisation, overridable per account. */
  externalId?: string;
  /** Default of the `Stage` parameter. @default 'prod' */
  stage?: string;
  /** Adds bedrock:InvokeModel to the activation role, for `ACTIVATION_VERIFY=true`. @default false */
  verifyWithInvoke?: boolean;
}

export class MemberAccountStack extends Stack {
  readonly readRole: Role;
  readonly activationRole: Role;

  constructor(scope: Construct, id: string, props: MemberAccountStackProps = {}) {
    // StackSets deploy into accounts that were never `cdk bootstrap`ped: no BootstrapVersion parameter or rule.
    super(scope, id, { ...props, synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    const botAccount = new CfnParameter(this, 'BotAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'The AWS account the bedrock-doctor functions run in',
      ...(props.botAccountId ? { default: props.botAccountId } : {}),
    }).valueAsString;
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      allowedPattern: '^[\\w+=,.@:/-]{2,1224}$',
      description: 'ExternalId the bot sends when it assumes these roles (the registry\'s "externalId")',
      ...(props.externalId ? { default: props.externalId } : {}),
    }).valueAsString;
    const stage = new CfnParameter(this, 'Stage', {
      type: 'String',
      allowedPattern: STAGE_PATTERN,
      default: props.stage ?? DEFAULT_STAGE,
      description: 'The bedrock-doctor deployment whose worker these roles trust (prod, staging, …)',
    }).valueAsString;
    const isDefaultStage = new CfnCondition(this, 'IsDefaultStage', {
      expression: Fn.conditionEquals(stage, DEFAULT_STAGE),
    });
    // names.ts's convention, evaluated by CloudFormation: the stage's name goes after the prefix except for prod.
    const nameOf = (kind: RoleKind) =>
      Fn.conditionIf(isDefaultStage.logicalId, roleName(kind), `bedrock-doctor-${stage}-${kind}`).toString();
    const partition = Stack.of(this).partition;
    const worker = new ArnPrincipal(`arn:${partition}:iam::${botAccount}:role/${nameOf('worker')}`);
    const withExternalId = { StringEquals: { 'sts:ExternalId': externalId } };

    this.readRole = new Role(this, 'ReadRole', {
      roleName: nameOf('read'),
      description: 'bedrock-doctor reads model status here',
      assumedBy: worker.withConditions(withExternalId),
      inlinePolicies: {
        read: new PolicyDocument({
          statements: [new PolicyStatement({ actions: [...READ_ROLE_ACTIONS], resources: ['*'] })],
        }),
      },
    });

    // Trusts only the worker, and only with the ExternalId and a SourceIdentity (the approver, kept in CloudTrail).
    const requireSourceIdentity = { StringLike: { 'sts:SourceIdentity': '*' } };
    this.activationRole = new Role(this, 'ActivationRole', {
      roleName: nameOf('activation'),
      description: 'bedrock-doctor activates approved models here',
      assumedBy: worker.withConditions({ ...withExternalId, ...requireSourceIdentity }),
      inlinePolicies: {
        activate: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: [...ACTIVATION_BEDROCK_ACTIONS, ...(props.verifyWithInvoke ? ACTIVATION_VERIFY_ACTIONS : [])],
              resources: ['*'],
            }),
            // Marketplace is global: no region condition may apply to these.
            new PolicyStatement({ actions: [...ACTIVATION_MARKETPLACE_ACTIONS], resources: ['*'] }),
          ],
        }),
      },
    });
    this.activationRole.assumeRolePolicy?.addStatements(
      new PolicyStatement({
        actions: ['sts:SetSourceIdentity', 'sts:TagSession'],
        principals: [worker],
        conditions: requireSourceIdentity,
      }),
    );
  }
}
