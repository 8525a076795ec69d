// An explicit deny (SCP, RCP, identity policy, boundary, session or endpoint policy): adding an allow cannot help, so
// the steps find the deny and say who owns it.
import { sh } from '../iam-policies.js';
import type { Facts, RemediationStep } from '../types.js';
import { bash, type Remedy, type RemedyContext } from './context.js';
import { denyInspectionSteps } from './deny-inspection.js';
import { activationStep, EULA_NOTE, ONCE_PER_ACCOUNT_NOTE } from './shared.js';

const DENY_WHERE: Record<string, string> = {
  scp: 'a service control policy (SCP) in AWS Organizations',
  rcp: 'a resource control policy (RCP) in AWS Organizations',
  identity_policy: 'an identity-based policy attached to the caller (or to one of its groups)',
  permissions_boundary: 'the permissions boundary attached to the caller',
  session_policy: 'the session policy passed when these credentials were created',
  resource_policy: 'the resource-based policy of the resource',
  vpc_endpoint_policy: 'the VPC endpoint policy of the Bedrock interface endpoint',
  unnamed_policy: 'a policy (the message does not say which kind)',
};

/** Flavours that say more than the policy kind: the kind still decides where to look. */
const POLICY_OF_FLAVOUR = new Set(['marketplace', 'global_profile_region', 'scp_inference_profile']);

export function explicitDenyRemedy(ctx: RemedyContext): Remedy {
  const { facts } = ctx;
  const action = facts.actions?.join(', ') ?? 'the action';
  const flavourForPolicy = POLICY_OF_FLAVOUR.has(ctx.flavour) ? denyKindFlavour(facts) : ctx.flavour;
  const where = DENY_WHERE[flavourForPolicy] ?? 'a policy (the message does not say which kind)';
  const implicitGuard = flavourForPolicy === 'session_policy' || flavourForPolicy === 'permissions_boundary';
  const steps: RemediationStep[] = [];
  let title = `Denied by ${where.replace(/ \(.*$/, '')}: ${action}`;
  let explanation = `${facts.principalArn ?? 'The caller'} is blocked from ${action}${facts.resource ? ` on ${facts.resource}` : ''} by ${where}. `;
  explanation += implicitGuard
    ? 'That policy caps what the credentials can do and does not allow this action, so no identity-policy allow can help: the cap itself must change.'
    : 'An explicit deny beats every allow, so adding permissions to the caller will not help; the deny must be changed or the call must avoid it.';

  if (ctx.flavour === 'global_profile_region') {
    title = `Global inference profile blocked by a region restriction: ${action}`;
    explanation =
      `The resource ${facts.resource ?? ''} has an empty region: that is how a global inference profile ` +
      '(global.…) routes to a foundation model anywhere in the world. A policy that restricts regions ' +
      `(usually an SCP with aws:RequestedRegion) denies such region-less ARNs. The denying policy is ${where}.`;
    steps.push(
      {
        title: 'Use a geographic inference profile inside your allowed regions instead of the global one',
        detail: `For example us.${ctx.base}, eu.${ctx.base} or apac.${ctx.base}, called from a region in that geography.`,
        code: bash(
          `aws bedrock list-inference-profiles ${ctx.profileOpt}--region ${sh(ctx.region)} \\\n` +
            `  --query "inferenceProfileSummaries[?contains(inferenceProfileId, '${ctx.base}')].inferenceProfileId"`,
        ),
        recommended: true,
      },
      {
        title: 'Or ask the policy owners to exempt global-profile invocation from the region condition',
        detail:
          'The exemption covers bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on ' +
          `arn:aws:bedrock:::foundation-model/${ctx.base} (and the global profile), not Bedrock as a whole.`,
      },
    );
  }
  if (ctx.flavour === 'scp_inference_profile') {
    title = `Inference profile not in the SCP's approved models: ${action}`;
    explanation +=
      ' The denied resource is an inference profile: an "approved models" SCP that denies with NotResource ' +
      'listing only foundation-model ARNs (as in AWS’s published examples) also denies every inference profile, ' +
      'because the profile’s ARN is not in that list.';
    steps.push({
      title: 'Ask the SCP owners to add the inference profile to the NotResource list',
      detail:
        `Add ${facts.resource ?? 'arn:aws:bedrock:*:*:inference-profile/<profile-id>'} next to the foundation-model ARNs, ` +
        'and keep the foundation model listed in every region the profile routes to (arn:aws:bedrock:*::foundation-model/…).',
      recommended: true,
    });
  }
  if (ctx.flavour === 'marketplace') {
    title = `AWS Marketplace subscription blocked by an explicit deny: ${action}`;
    explanation =
      `Bedrock tried to subscribe the account to ${ctx.modelName} through AWS Marketplace on the caller’s behalf, ` +
      `and ${where} explicitly denies ${action}. Organizations often do this on purpose so that third-party models ` +
      '(and their EULAs) are enabled only after review.';
    steps.push(
      activationStep(
        ctx,
        'Activation by the approved admin role is usually the path such organizations intend; it works when that role is exempt from the deny.',
      ),
    );
  }
  steps.push(...denyInspectionSteps(ctx, flavourForPolicy));
  return {
    title,
    explanation,
    steps,
    notes: [
      'Do not try to work around a guard policy: whoever owns it decides. Give them the action, the resource and the policy ARN from the message.',
      ...(ctx.flavour === 'marketplace' ? [EULA_NOTE, ONCE_PER_ACCOUNT_NOTE] : []),
    ],
    activationCanHelp: ctx.flavour === 'marketplace',
  };
}

function denyKindFlavour(facts: Facts): string {
  switch (facts.deniedBy) {
    case 'service control policy':
      return 'scp';
    case 'resource control policy':
      return 'rcp';
    case 'identity-based policy':
      return 'identity_policy';
    case 'permissions boundary':
      return 'permissions_boundary';
    case 'session policy':
      return 'session_policy';
    case 'resource-based policy':
      return 'resource_policy';
    default:
      return 'unnamed_policy';
  }
}
