// The app stack's dashboard of the flow's figures, and the output that points Slack at the deployment in one step.
import { PassThrough, Readable } from 'node:stream';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../handlers/cli.js';
import { FLOW_DIMENSION, FLOW_METRIC } from '../../src/access/flow-metrics.js';
import { buildStacks } from './infra-fixture.js';

const template = Template.fromStack(buildStacks().stateless);

/** A dashboard body or output value with its CloudFormation references written as `<ref>` (what a deploy fills in). */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flatten).join(join[0]);
  return '<ref>';
}

describe('flow dashboard', () => {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.parse(flatten(dashboards[0]?.Properties.DashboardBody).replace(/<ref>/g, 'x')) as {
    widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }>;
  };
  const graphs = new Map(body.widgets.map((w) => [w.properties.title, JSON.stringify(w.properties.metrics ?? [])]));

  it('is one dashboard in the app stack', () => {
    expect(dashboards).toHaveLength(1);
  });

  it('graphs requests, decisions, activations and the time from Approve to active, from the namespace written to', () => {
    const requests = graphs.get('Requests and decisions') ?? '';
    expect(requests).toContain(`"bedrock-doctor","${FLOW_METRIC.requests}","service","bedrock-doctor"`);
    for (const decision of ['approved', 'rejected', 'cancelled', 'expired']) {
      expect(requests).toContain(`"${FLOW_METRIC.decisions}","Decision","${decision}","service","bedrock-doctor"`);
    }
    expect(graphs.get('Activations')).toContain(`"Outcome","active"`);
    expect(graphs.get('Activations')).toContain(`"Outcome","failed"`);
    expect(graphs.get('Time from Approve to active (seconds)')).toContain('"stat":"p90"');
  });

  it('searches failures by reason and diagnoses by category, whatever values appear', () => {
    expect(graphs.get('Activation failures by reason')).toContain(
      `SEARCH('{bedrock-doctor,${FLOW_DIMENSION.reason},service} MetricName=\\"${FLOW_METRIC.activationFailures}\\"'`,
    );
    expect(graphs.get('Diagnoses by category')).toContain(
      `SEARCH('{bedrock-doctor,${FLOW_DIMENSION.category},service} MetricName=\\"${FLOW_METRIC.diagnoses}\\"'`,
    );
  });

  it('shows the functions and the job queue beside the figures', () => {
    expect(graphs.get('Function errors and throttles')).toMatch(/"AWS\/Lambda","Errors"[^]*"AWS\/Lambda","Throttles"/);
    expect(graphs.get('Job queue')).toContain('ApproximateAgeOfOldestMessage');
  });
});

describe('SlackManifestCommand output', () => {
  const outputs = template.findOutputs('SlackManifestCommand');
  const command = flatten(outputs.SlackManifestCommand?.Value);

  it('is the manifest command with the stack’s own Function URL', () => {
    const join = outputs.SlackManifestCommand?.Value['Fn::Join'] as [string, unknown[]];
    expect(command).toBe('npx bedrock-doctor manifest --request-url <ref>');
    expect(JSON.stringify(join[1][1])).toMatch(/"Fn::GetAtt":\["SlackFunctionFunctionUrl\w*","FunctionUrl"\]/);
  });

  it('runs as printed, once the deploy fills in the URL', async () => {
    const functionUrl = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/';
    const argv = command.replace('<ref>', functionUrl).split(' ').slice(2);
    let stdout = '';
    const out = new PassThrough().on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });

    const code = await main(argv, { stdin: Readable.from([]), stdout: out, stderr: new PassThrough(), env: {} });

    expect(code).toBe(0);
    expect((parse(stdout) as { settings: { event_subscriptions: { request_url: string } } }).settings).toMatchObject({
      event_subscriptions: { request_url: functionUrl },
    });
  });
});
