import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemberAccountStack } from '../../infra/lib/member-account-stack.js';
import { checkWithNag } from '../../infra/lib/nag.js';
import { buildStacks, newApp } from './infra-fixture.js';

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; severity: string }> }>;
}

describe('cdk-nag AwsSolutions pack', () => {
  it('passes on all three stacks, with every acknowledgement justified in infra/lib/nag.ts', () => {
    const { app } = buildStacks({ nag: true });
    // Policy validation throws ValidationFailed on any unacknowledged error.
    expect(() => app.synth()).not.toThrow();
  }, 120_000);

  it('fails a stack whose findings are not acknowledged', () => {
    const app = newApp();
    new MemberAccountStack(app, 'Unacknowledged');
    checkWithNag(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
    const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations.map((v) => `${v.ruleName} ${v.severity}`)).toEqual(['AwsSolutions-IAM5[Resource::*] error']);
  }, 60_000);
});
