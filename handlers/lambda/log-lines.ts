// Log messages the stack's metric filters count (infra/lib/stateless-stack.ts): shared, so a reworded line cannot
// silently stop an alarm. No imports: the CDK app reads this at synth.

/** The Slack function caught an error and answered 500: Lambda itself counts no error for it. */
export const SLACK_REQUEST_FAILED = 'Slack request failed';
