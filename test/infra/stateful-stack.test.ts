import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TTL_ATTRIBUTE, tableDefinition } from '../../src/store/table-design.js';
import { buildStacks } from './infra-fixture.js';

describe('stateful stack', () => {
  const template = Template.fromStack(buildStacks().stateful);

  it('creates the one table as src/store/table-design.ts describes it', () => {
    const design = tableDefinition('prod-bedrock-doctor-state');
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'prod-bedrock-doctor-state',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: design.KeySchema,
      AttributeDefinitions: Match.arrayWith(design.AttributeDefinitions ?? []),
      GlobalSecondaryIndexes: design.GlobalSecondaryIndexes,
    });
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0];
    expect(table?.Properties.AttributeDefinitions).toHaveLength(design.AttributeDefinitions?.length ?? 0);
  });

  it('keeps the data: point-in-time recovery, TTL, deletion protection, retained on stack deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('holds nothing but the table', () => {
    const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types.filter((t) => t !== 'AWS::CDK::Metadata')).toEqual(['AWS::DynamoDB::Table']);
  });
});
