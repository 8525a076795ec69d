// Child process for the crash test: the embedded store (dynalite over LevelDB) on DATA_DIR, exactly as `npm start`
// runs it, with the table created. Prints its endpoint and serves until it is killed.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { startEmbeddedDynamoDb } from '../../../src/store/embedded-dynamodb.js';
import { createTableIfMissing, tableName } from '../../../src/store/table-design.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: store-process <data dir>');
const server = await startEmbeddedDynamoDb({ dataDir });
const client = new DynamoDB({
  region: 'us-east-1',
  endpoint: server.endpoint,
  credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
});
await createTableIfMissing(client, tableName(undefined));
client.destroy();
process.stdout.write(`endpoint ${server.endpoint}\n`);
