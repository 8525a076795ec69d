// `npm run demo:lambda` as a test: freshly built bundles, the synthesized stack's settings, Function URL events, SQS
// batches and the schedule. What a user would see (the transcript), what was stored, and the metric lines the
// functions wrote to stdout, as CloudWatch Logs would receive them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, LAMBDA_FUNCTIONS } from '../../scripts/bundle-lambda.js';
import { type LambdaDemoResult, metricPoints, runLambdaDemo } from './lambda-demo.js';

const lines: string[] = [];
let demo: LambdaDemoResult;

beforeAll(async () => {
  const bundlesDir = mkdtempSync(join(tmpdir(), 'demo-lambda-'));
  for (const name of LAMBDA_FUNCTIONS) await bundleLambda(name, bundlesDir);
  demo = await runLambdaDemo({ bundlesDir, settleMs: 300, write: (line) => lines.push(line) });
}, 240_000);

describe('npm run demo:lambda', () => {
  it('plays the approval story through the three bundles to an active model', () => {
    const transcript = lines.join('\n');

    expect(demo.requestState).toBe('ACTIVE');
    expect(transcript).toContain('reply only @dana sees (the diagnosis card, in the ack)');
    expect(transcript).toContain('modal opens for @dana: "Request activation"');
    expect(transcript).toContain('bot posts in #bedrock-approvals');
    expect(transcript).toMatch(/bot posts in DM to @dana[^]*is active in account 999988887777/);
    expect(transcript).toContain('audit trail: requested by @dana → approved by @alex (approver)');
    expect(transcript).toContain("activation session's SourceIdentity U0APPROVER1");
  });

  it('shows what each function did, invoked as Lambda invokes it', () => {
    const { slack, worker, reconciler } = demo.invocations;

    expect(slack.map((i) => (i.result as { statusCode: number }).statusCode)).toEqual([200, 200, 200, 200]);
    expect(worker.map((i) => i.result)).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    expect(reconciler.map((i) => i.result)).toEqual([{ redriven: 0, reminded: 0, expired: 0, cardsPosted: 0 }]);
    // One cold start per function, then warm invocations in the same environment.
    for (const invs of [slack, worker, reconciler]) {
      expect(invs.map((i) => i.initMs !== undefined)).toEqual(invs.map((_, n) => n === 0));
    }
    expect(lines.filter((l) => l.startsWith('  λ bedrock-doctor-worker')).join('\n')).toMatch(
      /SQS batch \[submit_request\][^]*SQS batch \[decide\][^]*SQS batch \[activate_request\]/,
    );
    // Log lines keep their field names; each job's lines carry the invocation's request id.
    const logs = worker.flatMap((i) =>
      i.logs.map((l) => ({ id: i.id, log: JSON.parse(l) as Record<string, unknown> })),
    );
    for (const { log } of logs) expect(Object.keys(log)).toEqual(expect.arrayContaining(['time', 'level', 'msg']));
    const jobsDone = logs.filter(({ log }) => log.msg === 'job done');
    expect(jobsDone.map(({ log }) => log.job)).toEqual(['submit_request', 'decide', 'activate_request']);
    for (const { id, log } of jobsDone) expect(log.awsRequestId).toBe(id);
  });

  it('writes the flow\u2019s figures as embedded-metric lines, one figure each', () => {
    const figures = demo.metrics.map((m) => [m.function, m.name, m.dimensions, m.unit]);

    expect(figures).toEqual([
      ['slack', 'Diagnoses', { Category: 'marketplace_subscription_missing' }, 'Count'],
      ['worker', 'Requests', {}, 'Count'],
      ['worker', 'Decisions', { Decision: 'approved' }, 'Count'],
      ['worker', 'Activations', { Outcome: 'active' }, 'Count'],
      ['worker', 'ApproveToActiveSeconds', {}, 'Seconds'],
    ]);
    expect(new Set(demo.metrics.map((m) => m.namespace))).toEqual(new Set(['bedrock-doctor']));
    const seconds = demo.metrics.find((m) => m.name === 'ApproveToActiveSeconds')?.value ?? -1;
    expect(seconds).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('worker     Decisions{Decision=approved} 1 Count');
  });
});

describe('metricPoints', () => {
  it('reads figures from embedded-metric documents and skips every other line', () => {
    const emf = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [
          {
            Namespace: 'ns',
            Dimensions: [['service', 'Reason']],
            Metrics: [{ Name: 'ActivationFailures', Unit: 'Count' }],
          },
        ],
      },
      service: 'bedrock-doctor',
      Reason: 'ROLE_PERMISSION_MISSING',
      ActivationFailures: 1,
    });

    const points = metricPoints('worker', ['not json', '{"level":"info","msg":"job done"}', emf]);

    expect(points).toEqual([
      {
        function: 'worker',
        namespace: 'ns',
        name: 'ActivationFailures',
        unit: 'Count',
        value: 1,
        dimensions: { Reason: 'ROLE_PERMISSION_MISSING' },
      },
    ]);
  });
});
