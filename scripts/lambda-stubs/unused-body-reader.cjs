// Stands in for raw-body in the Lambda bundles: only Bolt's HTTP receiver reads request streams, and a Lambda gets
// its body from the event (see trimForLambda in bundle-lambda.ts).
module.exports = function rawBodyNotBundled() {
  return Promise.reject(new Error('raw-body is not bundled into the Lambda functions'));
};
