// Settings only the Lambda handlers read, checked at cold start with a message naming the variable.
type Env = Record<string, string | undefined>;

/** `JOB_QUEUE_URL`: the SQS queue the functions send jobs to (the stateless stack sets it). */
export function jobQueueUrl(env: Env): string {
  return queueUrl(env, 'JOB_QUEUE_URL');
}

/**
 * `STATUS_QUEUE_URL`: the status checks' own queue, so decisions never wait behind a flood of them (the stateless
 * stack sets it). Unset, status checks share JOB_QUEUE_URL.
 */
export function statusQueueUrl(env: Env): string {
  return env.STATUS_QUEUE_URL ? queueUrl(env, 'STATUS_QUEUE_URL') : jobQueueUrl(env);
}

function queueUrl(env: Env, name: string): string {
  const value = env[name];
  if (!value || !/^https?:\/\/\S+\/\d{12}\/[\w-]{1,80}$/.test(value)) {
    throw new Error(`${name}: expected an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/jobs`);
  }
  return value;
}
