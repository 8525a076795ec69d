// infra: the alarms the function-level ones miss — 5xx answers at the Function URL, errors the Slack handler caught
// and answered with a 500 (Lambda counts no error for them), and jobs nobody picks up.
import { Duration } from 'aws-cdk-lib';
import { type IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SLACK_REQUEST_FAILED } from '../../handlers/lambda/log-lines.js';

/** A job older than this is not being worked on (the worker is failing, throttled or at its concurrency cap). */
export const OLDEST_JOB_ALARM_SECONDS = 600;

export type AddAlarm = (name: string, metric: IMetric, description: string, threshold?: number) => void;

export function frontDoorAlarms(
  scope: Construct,
  parts: { slack: IFunction & { logGroup: ILogGroup }; queue: IQueue; alarm: AddAlarm },
): void {
  const { slack, queue, alarm } = parts;
  alarm(
    'SlackUrl5xxAlarm',
    new Metric({
      namespace: 'AWS/Lambda',
      metricName: 'Url5xxCount',
      dimensionsMap: { FunctionName: slack.functionName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    'The Slack Function URL answered 5xx (a handler error, a throttle or a timeout)',
  );
  const handlerErrors = new MetricFilter(scope, 'SlackHandlerErrorsFilter', {
    logGroup: slack.logGroup,
    filterPattern: FilterPattern.stringValue('$.msg', '=', SLACK_REQUEST_FAILED),
    metricNamespace: 'bedrock-doctor',
    metricName: 'SlackHandlerErrors',
    metricValue: '1',
  });
  alarm(
    'SlackHandlerErrorsAlarm',
    handlerErrors.metric({ period: Duration.minutes(5), statistic: 'Sum' }),
    'A Slack request failed inside the handler and was answered 500',
  );
  alarm(
    'OldestJobAlarm',
    queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
    `A job has waited over ${OLDEST_JOB_ALARM_SECONDS / 60} minutes in the queue: the worker is failing, throttled or at its cap`,
    OLDEST_JOB_ALARM_SECONDS,
  );
}
