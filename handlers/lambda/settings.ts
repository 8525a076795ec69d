// Settings only the Lambda handlers read, checked at cold start with a message naming the variable.
type Env = Record<string, string | undefined>;

/** `JOB_QUEUE_URL`: the SQS queue the functions send jobs to (the stateless stack sets it). */
export function jobQueueUrl(env: Env): string {
  const value = env.JOB_QUEUE_URL;
  if (!value || !/^https?:\/\/\S+\/\d{12}\/[\w-]{1,80}$/.test(value)) {
    throw new Error(
      'JOB_QUEUE_URL: expected an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
    );
  }
  return value;
}
