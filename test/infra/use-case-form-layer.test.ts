// Anthropic activations on Lambda need the organisation's use-case form (USE_CASE_FORM_FILE) where the worker runs:
// `-c useCaseFormFile=…` ships it in a layer, checked at synth like the app checks it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadUseCaseForm } from '../../src/access/use-case-form.js';
import { VETTED_FORM } from '../fakes/aws/standard-world.js';
import { buildStacks } from './infra-fixture.js';

type Fn = { Properties: { Environment?: { Variables?: Record<string, unknown> }; Layers?: unknown[] } };

function functionsOf(template: Template): Record<string, Fn> {
  return template.findResources('AWS::Lambda::Function') as Record<string, Fn>;
}

describe('the use-case form on Lambda', () => {
  it('gives the worker and the reconciler the form in a layer, and USE_CASE_FORM_FILE pointing at it', () => {
    const { stateless, app } = buildStacks({ stateless: { useCaseForm: JSON.stringify(VETTED_FORM) } });
    const template = Template.fromStack(stateless);

    const fns = Object.entries(functionsOf(template));
    const withForm = fns.filter(([, f]) => f.Properties.Environment?.Variables?.USE_CASE_FORM_FILE);
    expect(withForm.map(([id]) => id.replace(/Function.*/, '')).sort()).toEqual(['Reconciler', 'Worker']);
    for (const [, f] of withForm) {
      expect(f.Properties.Environment?.Variables?.USE_CASE_FORM_FILE).toBe('/opt/use-case-form.json');
      expect(f.Properties.Layers).toHaveLength(1);
    }
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    // The layer holds the form exactly as the app will read it (assets are staged into the app's folder).
    const staged = readdirSync(app.outdir)
      .map((entry) => join(app.outdir, entry, 'use-case-form.json'))
      .filter((path) => existsSync(path));
    expect(staged).toHaveLength(1);
    expect(new TextDecoder().decode(loadUseCaseForm(staged[0] ?? ''))).toBe(JSON.stringify(VETTED_FORM));
  }, 120_000); // the first synth in a process loads aws-cdk-lib, slow on a busy machine

  it('refuses a broken form at synth, naming the problem', () => {
    expect(() => buildStacks({ stateless: { useCaseForm: '{"companyName": "x"}' } })).toThrow(/use-case form/);
  });

  it('adds no layer and no setting when no form is given', () => {
    const template = Template.fromStack(buildStacks().stateless);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    for (const f of Object.values(functionsOf(template))) {
      expect(f.Properties.Environment?.Variables?.USE_CASE_FORM_FILE).toBeUndefined();
    }
  });
});
