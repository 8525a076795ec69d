// Stands in for Bolt's Socket Mode and Express receivers in the Lambda bundles (see trimForLambda in bundle-lambda.ts).
class ReceiverNotBundled {
  constructor() {
    throw new Error('This Bolt receiver is not bundled into the Lambda functions; they use AwsLambdaReceiver.');
  }
}
module.exports = { __esModule: true, default: ReceiverNotBundled };
