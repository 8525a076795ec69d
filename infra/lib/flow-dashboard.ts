// infra: the CloudWatch dashboard of the approval flow. Its top rows read the figures the functions write as
// embedded-metric lines (src/access/flow-metrics.ts names them; src/aws/cloudwatch-metrics.ts writes them); the
// bottom row shows the functions and the queue as AWS measures them.
import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  DECISIONS,
  FLOW_DIMENSION,
  FLOW_METRIC,
  FLOW_METRICS_NAMESPACE,
  FLOW_METRICS_SERVICE,
} from '../../src/access/flow-metrics.js';

const PERIOD = Duration.minutes(5);

export interface FlowDashboardProps {
  functions: Record<string, IFunction>;
  queue: IQueue;
  deadLetterQueue: IQueue;
  /** @default FLOW_METRICS_NAMESPACE */
  namespace?: string;
}

export function addFlowDashboard(scope: Construct, props: FlowDashboardProps): Dashboard {
  const namespace = props.namespace ?? FLOW_METRICS_NAMESPACE;
  const flow = (metricName: string, dimensions: Record<string, string> = {}, statistic: string = Stats.SUM) =>
    new Metric({
      namespace,
      metricName,
      dimensionsMap: { service: FLOW_METRICS_SERVICE, ...dimensions },
      statistic,
      period: PERIOD,
    });
  // Reasons and categories are open-ended: a search draws one line per value that has data.
  const byDimension = (metricName: string, dimension: string, label: string): IMetric =>
    new MathExpression({
      expression: `SEARCH('{${namespace},${dimension},service} MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()})`,
      usingMetrics: {},
      label,
      period: PERIOD,
    });
  const graph = (title: string, left: IMetric[], width = 8) => new GraphWidget({ title, left, width, height: 6 });
  const fns = Object.entries(props.functions);

  const dashboard = new Dashboard(scope, 'FlowDashboard', { defaultInterval: Duration.days(7) });
  dashboard.addWidgets(
    new TextWidget({
      markdown:
        '## bedrock-doctor\nRequests, decisions and activations as the functions record them (one figure per ' +
        'store transition); below, the functions and the job queue as AWS measures them.',
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    graph('Requests and decisions', [
      flow(FLOW_METRIC.requests),
      flow(FLOW_METRIC.requestJoins),
      ...DECISIONS.map((d) => flow(FLOW_METRIC.decisions, { [FLOW_DIMENSION.decision]: d })),
    ]),
    graph(
      'Activations',
      ['active', 'failed'].map((o) => flow(FLOW_METRIC.activations, { [FLOW_DIMENSION.outcome]: o })),
    ),
    graph(
      'Time from Approve to active (seconds)',
      [Stats.p(50), Stats.p(90), Stats.MAXIMUM].map((s) => flow(FLOW_METRIC.approveToActive, {}, s)),
    ),
  );
  dashboard.addWidgets(
    graph(
      'Activation failures by reason',
      [byDimension(FLOW_METRIC.activationFailures, FLOW_DIMENSION.reason, 'failures')],
      12,
    ),
    graph('Diagnoses by category', [byDimension(FLOW_METRIC.diagnoses, FLOW_DIMENSION.category, 'diagnoses')], 12),
  );
  dashboard.addWidgets(
    graph(
      'Function errors and throttles',
      fns.flatMap(([name, fn]) => [
        fn.metricErrors({ period: PERIOD, label: `${name} errors` }),
        fn.metricThrottles({ period: PERIOD, label: `${name} throttles` }),
      ]),
    ),
    graph(
      'Function duration p90 (ms)',
      fns.map(([name, fn]) => fn.metricDuration({ period: PERIOD, statistic: Stats.p(90), label: name })),
    ),
    graph('Job queue', [
      props.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, label: 'oldest job (s)' }),
      props.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: 'waiting' }),
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: 'in the DLQ' }),
    ]),
  );
  return dashboard;
}
