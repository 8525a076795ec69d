// `bedrock-doctor misses export`: the pastes people kept with "Not what happened?", one JSON line each, shaped as
// rows of the error corpus (test/fixtures/errors-dev.jsonl) with `category` left for a person to fill in.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { missRow } from '../../src/access/diagnosis-misses.js';
import { envClientConfig } from '../../src/aws/env-client-config.js';

import { messageOf } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { openStore, storeModeOf } from '../../src/store/open-store.js';
import { type Command, EXIT, toJson, visible } from './io.js';
import { loadConfigOrSay } from './load-config.js';

const USAGE = 'Usage: bedrock-doctor misses export   (JSON lines on stdout, oldest first)\n';

const misses: Command = async (args, io) => {
  if (args.length !== 1 || args[0] !== 'export') {
    io.stderr.write(USAGE);
    return EXIT.usage;
  }
  const config = loadConfigOrSay(io);
  if (!config) return EXIT.usage;
  // An external table is reached with the CLI's own env (endpoint, region, keys when given), like the other commands.
  const client = storeModeOf(config) === 'external' ? new DynamoDB(envClientConfig(io.env, 'DYNAMODB')) : undefined;
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config, { logger: silentLogger, ...(client ? { client } : {}) });
  } catch (err) {
    client?.destroy();
    // The usual cause: the local bot holds the embedded data folder (LevelDB allows one process).
    io.stderr.write(
      `Could not open the state store (${visible(messageOf(err))}). ` +
        'Stop the local bot first, or point AWS_ENDPOINT_URL_DYNAMODB / DYNAMODB_TABLE_PREFIX at the shared table.\n',
    );
    return EXIT.failed;
  }
  try {
    const kept = await store.misses.listKept();
    for (const miss of kept) io.stdout.write(`${toJson(missRow(miss))}\n`);
    io.stderr.write(`${kept.length} kept paste${kept.length === 1 ? '' : 's'} exported.\n`);
    return EXIT.ok;
  } finally {
    await store.close();
    client?.destroy();
  }
};
export default misses;
