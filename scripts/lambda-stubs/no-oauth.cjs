// Stands in for @slack/oauth in the Lambda bundles (see trimForLambda in bundle-lambda.ts): the app is installed once
// with a bot token, so Bolt never builds its OAuth installer (which would bring a JWT library along).
class OAuthNotBundled {
  constructor() {
    throw new Error('Slack OAuth (multi-workspace installation) is not bundled into the Lambda functions.');
  }
}
module.exports = {
  InstallProvider: OAuthNotBundled,
  FileInstallationStore: OAuthNotBundled,
  MemoryInstallationStore: OAuthNotBundled,
};
