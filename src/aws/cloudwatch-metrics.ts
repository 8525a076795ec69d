// Adapter: the flow's figures as CloudWatch embedded-metric-format lines on stdout (Powertools for AWS Lambda's
// Metrics). In Lambda, CloudWatch Logs turns each line into metric data points: no PutMetricData call, no IAM, no
// latency added to the Slack ack. Each figure is its own line, published at once, because each has its own dimension
// and a function may be frozen right after it answers.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  FLOW_DIMENSION,
  FLOW_METRIC,
  FLOW_METRICS_NAMESPACE,
  FLOW_METRICS_SERVICE,
  type FlowEvent,
  type FlowMetrics,
} from '../access/flow-metrics.js';
import type { Logger } from '../log.js';

export interface CloudWatchMetricsOptions {
  logger: Logger;
  /** @default FLOW_METRICS_NAMESPACE */
  namespace?: string;
}

export function cloudWatchFlowMetrics(options: CloudWatchMetricsOptions): FlowMetrics {
  const metrics = new Metrics({
    namespace: options.namespace ?? FLOW_METRICS_NAMESPACE,
    serviceName: FLOW_METRICS_SERVICE,
    singleMetric: true,
    logger: options.logger,
  });
  const count = (name: string, dimension?: [string, string]) => {
    if (dimension) metrics.addDimension(dimension[0], dimension[1]);
    metrics.addMetric(name, MetricUnit.Count, 1);
  };
  const write = (event: FlowEvent) => {
    switch (event.kind) {
      case 'request_opened':
        return count(event.joined ? FLOW_METRIC.requestJoins : FLOW_METRIC.requests);
      case 'decided':
        return count(FLOW_METRIC.decisions, [FLOW_DIMENSION.decision, event.decision]);
      case 'diagnosed':
        return count(FLOW_METRIC.diagnoses, [FLOW_DIMENSION.category, event.category]);
      case 'activation_ended':
        count(FLOW_METRIC.activations, [FLOW_DIMENSION.outcome, event.outcome]);
        if (event.outcome === 'failed') count(FLOW_METRIC.activationFailures, [FLOW_DIMENSION.reason, event.reason]);
        if (event.outcome === 'active' && event.secondsFromApproval !== undefined) {
          metrics.addMetric(FLOW_METRIC.approveToActive, MetricUnit.Seconds, event.secondsFromApproval);
        }
    }
  };
  return {
    record(event) {
      try {
        write(event);
      } catch (err) {
        options.logger.warn('flow metric not written', { kind: event.kind, err });
      }
    },
  };
}
