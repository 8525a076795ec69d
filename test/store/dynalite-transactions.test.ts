import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '../../src/store/embedded-dynamodb.js';
import { createTableIfMissing } from '../../src/store/table-design.js';

let server: EmbeddedDynamoDb;
let ddb: DynamoDB;
const TableName = 'tx-test';

beforeAll(async () => {
  server = await startEmbeddedDynamoDb();
  ddb = new DynamoDB({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await createTableIfMissing(ddb, TableName, {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
});
afterAll(async () => {
  ddb.destroy();
  await server.close();
});

const get = async (id: string) => (await ddb.getItem({ TableName, Key: { id: { S: id } }, ConsistentRead: true })).Item;

describe('TransactWriteItems on the embedded dynalite', () => {
  it('applies puts, updates and deletes together when every condition holds', async () => {
    await ddb.putItem({ TableName, Item: { id: { S: 'a1' }, n: { N: '1' } } });
    await ddb.putItem({ TableName, Item: { id: { S: 'a2' } } });

    await ddb.transactWriteItems({
      TransactItems: [
        {
          Update: {
            TableName,
            Key: { id: { S: 'a1' } },
            UpdateExpression: 'SET n = n + :one',
            ConditionExpression: 'n = :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
        { Put: { TableName, Item: { id: { S: 'a3' } }, ConditionExpression: 'attribute_not_exists(id)' } },
        { Delete: { TableName, Key: { id: { S: 'a2' } } } },
      ],
    });

    expect((await get('a1'))?.n).toEqual({ N: '2' });
    expect(await get('a3')).toBeDefined();
    expect(await get('a2')).toBeUndefined();
  });

  it('applies nothing when one condition fails, and says which one', async () => {
    await ddb.putItem({ TableName, Item: { id: { S: 'b1' }, state: { S: 'OPEN' } } });
    await ddb.putItem({ TableName, Item: { id: { S: 'b2' } } });

    const attempt = ddb.transactWriteItems({
      TransactItems: [
        {
          Update: {
            TableName,
            Key: { id: { S: 'b1' } },
            UpdateExpression: 'SET #s = :done',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':done': { S: 'DONE' } },
          },
        },
        {
          Put: {
            TableName,
            Item: { id: { S: 'b2' }, x: { S: 'overwritten' } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
        },
      ],
    });

    await expect(attempt).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });
    expect((await get('b1'))?.state).toEqual({ S: 'OPEN' });
    expect((await get('b2'))?.x).toBeUndefined();
  });

  it('honours a ConditionCheck without writing the checked item', async () => {
    await ddb.putItem({ TableName, Item: { id: { S: 'c1' }, ok: { BOOL: false } } });

    const attempt = ddb.transactWriteItems({
      TransactItems: [
        {
          ConditionCheck: {
            TableName,
            Key: { id: { S: 'c1' } },
            ConditionExpression: 'ok = :t',
            ExpressionAttributeValues: { ':t': { BOOL: true } },
          },
        },
        { Put: { TableName, Item: { id: { S: 'c2' } } } },
      ],
    });

    await expect(attempt).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(await get('c2')).toBeUndefined();
  });

  it('rejects two actions on the same item', async () => {
    const attempt = ddb.transactWriteItems({
      TransactItems: [
        { Put: { TableName, Item: { id: { S: 'd1' } } } },
        { Delete: { TableName, Key: { id: { S: 'd1' } } } },
      ],
    });

    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('loses no update when 12 transactions race on one counter with a version condition', async () => {
    await ddb.putItem({ TableName, Item: { id: { S: 'e1' }, v: { N: '0' } } });
    const bump = async () => {
      for (;;) {
        const v = (await get('e1'))?.v?.N ?? '0';
        try {
          await ddb.transactWriteItems({
            TransactItems: [
              {
                Update: {
                  TableName,
                  Key: { id: { S: 'e1' } },
                  UpdateExpression: 'SET v = :next',
                  ConditionExpression: 'v = :seen',
                  ExpressionAttributeValues: { ':seen': { N: v }, ':next': { N: String(Number(v) + 1) } },
                },
              },
            ],
          });
          return;
        } catch (err) {
          if ((err as Error).name !== 'TransactionCanceledException') throw err;
        }
      }
    };

    await Promise.all(Array.from({ length: 12 }, bump));

    expect((await get('e1'))?.v).toEqual({ N: '12' });
  });
});
