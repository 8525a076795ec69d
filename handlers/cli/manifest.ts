// `bedrock-doctor manifest [--request-url <url>]`: the Slack app manifest to paste into "Create New App → From an
// app manifest" (or an existing app's "App Manifest" page). With a request URL (the deployment's Function URL, which
// the CDK deploy prints): HTTP mode, that URL for the slash command, events and interactivity. Without: Socket Mode.
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { messageOf } from '../../src/errors.js';
import { requestUrlProblem, slackManifest } from '../../src/slack/manifest.js';
import { type Command, EXIT, visible } from './io.js';

const USAGE = 'Usage: bedrock-doctor manifest [--request-url https://…]   (no URL: Socket Mode)\n';

const manifest: Command = async (args, io) => {
  let requestUrl: string | undefined;
  try {
    const parsed = parseArgs({ args, options: { 'request-url': { type: 'string' } }, allowPositionals: false });
    requestUrl = parsed.values['request-url'];
  } catch (err) {
    io.stderr.write(`${visible(messageOf(err))}\n${USAGE}`);
    return EXIT.usage;
  }
  const problem = requestUrl === undefined ? undefined : requestUrlProblem(requestUrl);
  if (problem) {
    io.stderr.write(`--request-url ${visible(requestUrl ?? '')}: ${problem}\n${USAGE}`);
    return EXIT.usage;
  }
  const mode = requestUrl
    ? `HTTP mode: Slack sends the slash command, events and interactivity to ${requestUrl}`
    : 'Socket Mode: no public URL; the app connects with SLACK_APP_TOKEN';
  io.stdout.write(`# Slack app manifest for Bedrock Access Doctor. ${mode}.\n`);
  // No line folding: a URL or a usage hint stays on one line, as Slack's manifest editor shows it.
  io.stdout.write(stringify(slackManifest(requestUrl ? { requestUrl } : {}), { lineWidth: 0 }));
  return EXIT.ok;
};
export default manifest;
