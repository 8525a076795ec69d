// infra: cdk-nag's AwsSolutions pack on every stack, and each finding we accept, with its reason, in one place.
import { type Stack, Token, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { MemberAccountStack } from './member-account-stack.js';
import { roleName } from './names.js';
import { StatelessStack } from './stateless-stack.js';

// cdk-nag is CommonJS with re-exports Node cannot detect as named ESM exports.
const { AwsSolutionsChecks } = cdkNag;

/** Adds the AwsSolutions pack as a policy-validation plugin: synth fails while any finding is unacknowledged. */
export function checkWithNag(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/** Acknowledges the findings that are deliberate, each with why; call once per stack after it is built. */
export function acknowledgeFindings(stack: Stack): void {
  if (stack instanceof StatelessStack) {
    // Written as cdk-nag prints a finding: pseudo parameters as <AWS::Name> unless the stack has a concrete env.
    const pseudo = (value: string, name: string) => (Token.isUnresolved(value) ? `<AWS::${name}>` : value);
    const indexes =
      `arn:${pseudo(stack.partition, 'Partition')}:dynamodb:${pseudo(stack.region, 'Region')}:` +
      `${pseudo(stack.account, 'AccountId')}:table/${stack.tableName}/index/*`;
    for (const fn of Object.values(stack.functions)) {
      if (!fn.role) continue;
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${indexes}]`,
        reason: "Queries use the table's two GSIs; the wildcard covers only this table's indexes.",
      });
    }
    const workerRole = stack.functions.worker.role;
    for (const kind of ['read', 'activation'] as const) {
      if (!workerRole) break;
      Validations.of(workerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${pseudo(stack.partition, 'Partition')}:iam::*:role/${roleName(kind, stack.stage)}]`,
        reason:
          `The ${kind} role has one name in every member account, so one ARN pattern covers 1 or 500 accounts and the ` +
          'policy does not grow; each role trusts only this worker with its ExternalId, and organizationId adds an ' +
          'aws:ResourceOrgID condition.',
      });
    }
    Validations.of(stack).acknowledge({
      id: 'CloudFormation-Validate::W2509',
      reason: 'SlackSecretArn is the ARN of the secret, not the secret; the functions read the value at run time.',
    });
  }
  if (stack instanceof MemberAccountStack) {
    for (const role of [stack.readRole, stack.activationRole]) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The Bedrock model-access APIs (availability, agreement offers and agreements, use-case form, ' +
          'foundation-model catalogue) and the Marketplace subscription actions take no resource ARN.',
      });
    }
  }
}
