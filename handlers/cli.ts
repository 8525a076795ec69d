// `bedrock-doctor` entry point: routes a subcommand to its module. Never prints a stack trace.

import { messageOf } from '../src/errors.js';
import { type CliIo, type Command, EXIT, visible } from './cli/io.js';

export const USAGE = `bedrock-doctor — explain and fix Amazon Bedrock access errors

Usage:
  bedrock-doctor why "<pasted error>"        explain an error (or pipe it in: … | bedrock-doctor why)
  bedrock-doctor why -                       read the error from stdin
  bedrock-doctor why --json "<error>"        one Diagnosis as JSON
  bedrock-doctor why --jsonl < errors.jsonl  one JSON line per {"id","text"} input line
  bedrock-doctor status <model> [--account A] [--region R[,R2…]] [--json]
                                             live status of a model in an account (exit 0 = usable)
  bedrock-doctor activate <model> [--account A] [--region R] [--yes]
                                             activate a model with the account's activation role
  bedrock-doctor accounts list [--json]      the account registry (a table, or JSON in the "Accounts" format)
  bedrock-doctor accounts import <file>      add or replace the file's accounts in the stored registry
  bedrock-doctor accounts remove <id|alias>  retire an account (its open requests can no longer be approved)
  bedrock-doctor accounts sync --from-organizations [--ou <ou-id>]… [--stage S] [--regions R,…] [--external-id X]
                                             register the organisation's active accounts with the member roles
  bedrock-doctor misses export               pastes kept with "Not what happened?", as corpus rows (JSON lines)
  bedrock-doctor manifest [--request-url <url>]
                                             the Slack app manifest (HTTP mode with the URL, else Socket Mode)
  bedrock-doctor help                        this text

status/activate use the standard AWS credential chain and endpoint variables (AWS_ENDPOINT_URL_BEDROCK, …).
`;

const COMMANDS: Record<string, () => Promise<Command>> = {
  why: async () => (await import('./cli/why.js')).why,
  status: async () => (await import('./cli/status.js')).default,
  activate: async () => (await import('./cli/activate.js')).default,
  accounts: async () => (await import('./cli/accounts.js')).default,
  misses: async () => (await import('./cli/misses.js')).default,
  manifest: async () => (await import('./cli/manifest.js')).default,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    (name ? io.stdout : io.stderr).write(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`Unknown command "${visible(name)}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await (await load())(rest, io);
  } catch (err) {
    // Last line of defence: a one-line message, never a stack trace.
    io.stderr.write(`bedrock-doctor: ${visible(messageOf(err))}\n`);
    return EXIT.failed;
  }
}
