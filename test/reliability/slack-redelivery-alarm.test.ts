// "Alarm when X-Slack-Retry-Num > 0 appears": Slack redelivers an event whose ack took over 3 s (a slow cold start
// broke the budget). The app logs each redelivery as one JSON line, and the deployment turns that line into a metric
// and an alarm. The test ties the two together: the line the real receiver writes is the one the filter matches.
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStacks } from '../infra/infra-fixture.js';
import { aDiagnosis, aStatusReport } from '../support/slack/fixtures.js';
import { eventEnvelope, signEvent } from '../support/slack/signer.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../support/slack/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ diagnose: () => aDiagnosis(), checkStatus: async () => aStatusReport('READY') });
});
afterAll(() => h.stop());

const template = Template.fromStack(buildStacks().stateless);

/** The log message the Slack function's metric filter counts, read from the synthesized template. */
function filteredMessage(): string {
  // The redeliveries' filter, by the metric it feeds (the Slack function's log group has other filters too).
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'))
    .map((r) => r.Properties)
    .filter((p) => p.MetricTransformations?.[0]?.MetricName === 'SlackRedeliveries');
  expect(filters).toHaveLength(1);
  const pattern = String(filters[0]?.FilterPattern);
  const message = /^\{ \$\.msg = "(.+)" \}$/.exec(pattern)?.[1];
  if (!message) throw new Error(`unexpected filter pattern ${pattern}`);
  return message;
}

function dmEvent(eventId: string) {
  return eventEnvelope({
    event_id: eventId,
    event: { type: 'message', channel_type: 'im', channel: 'D0DM000001', user: 'U0USER0001', text: 'x', ts: '1.1' },
  });
}

describe('Slack redeliveries', () => {
  it('logs a redelivered event as the line the deployment counts, and a first delivery not at all', async () => {
    const message = filteredMessage();

    await h.send(signEvent(SIGNING_SECRET, dmEvent('Ev0FIRST001')));
    await h.settle();
    const afterFirst = h.logs.filter((l) => l.msg === message);
    await h.send(signEvent(SIGNING_SECRET, dmEvent('Ev0FIRST001')), {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    await h.settle();

    expect(afterFirst).toEqual([]);
    const logged = h.logs.filter((l) => l.msg === message);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'warn',
      retryNum: 1,
      retryReason: 'http_timeout',
      eventId: 'Ev0FIRST001',
    });
  });

  it('alarms on the first redelivery in five minutes, through the alarm topic', () => {
    const filter = Object.values(template.findResources('AWS::Logs::MetricFilter'))[0]?.Properties;
    const logGroupOfSlack = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('SlackFunction'),
    )?.[1].Properties.LoggingConfig?.LogGroup;
    expect(filter?.LogGroupName).toEqual(logGroupOfSlack);
    const [transform] = filter?.MetricTransformations ?? [];
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties)
      .find((a) => a.MetricName === transform?.MetricName && a.Namespace === transform?.MetricNamespace);
    expect(alarm).toMatchObject({ Threshold: 1, Statistic: 'Sum', Period: 300, EvaluationPeriods: 1 });
    expect(alarm?.AlarmActions).toHaveLength(1);
  });
});
