// infra: the data that outlives every code deploy. The table is the one src/store/table-design.ts describes.
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TTL_ATTRIBUTE, tableDefinition, tableName } from '../../src/store/table-design.js';

export interface StatefulStackProps extends StackProps {
  /** `DYNAMODB_TABLE_PREFIX` the functions run with; the table is `<prefix>bedrock-doctor-state`. */
  tablePrefix: string;
}

export class StatefulStack extends Stack {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const design = tableDefinition(tableName(props.tablePrefix));
    const key = (name: string | undefined) => ({ name: name ?? '', type: AttributeType.STRING });
    const keySchema = (schema: typeof design.KeySchema) => ({
      partitionKey: key(schema?.find((k) => k.KeyType === 'HASH')?.AttributeName),
      sortKey: key(schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName),
    });

    this.table = new Table(this, 'StateTable', {
      // A fixed name: the app derives it from DYNAMODB_TABLE_PREFIX, and a retained table keeps its name.
      tableName: design.TableName,
      ...keySchema(design.KeySchema),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.AWS_MANAGED,
    });
    for (const gsi of design.GlobalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.IndexName ?? '',
        ...keySchema(gsi.KeySchema),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
