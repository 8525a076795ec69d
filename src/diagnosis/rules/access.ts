// Rules about who may do what: guard policies (explicit denies and caps), Marketplace subscriptions, account-level
// blocks, missing IAM permissions and model access.
import type { DeniedBy, Facts } from '../types.js';
import { has, hit, type Rule } from './kit.js';

const DENIED_BY_FLAVOUR: Record<DeniedBy, string> = {
  'service control policy': 'scp',
  'resource control policy': 'rcp',
  'identity-based policy': 'identity_policy',
  'permissions boundary': 'permissions_boundary',
  'session policy': 'session_policy',
  'resource-based policy': 'resource_policy',
};

const marketplaceActionNamed = (facts: Facts) => facts.actions?.some((a) => a.startsWith('aws-marketplace:')) ?? false;

const orgOrIdentityPolicy = (facts: Facts) =>
  facts.deniedBy === 'service control policy' || facts.deniedBy === 'identity-based policy';

export const guardPolicy: Rule = ({ phrases, facts, clues }) => {
  const guardNoAllow = has(
    phrases,
    'no session policy allows',
    'no permissions boundary allows',
    'no vpc endpoint policy allows',
    'no resource control policy allows',
  );
  if (!clues.explicitDeny && !guardNoAllow) return undefined;
  if (marketplaceActionNamed(facts)) return hit('explicit_deny', 'marketplace');
  if (clues.regionlessModelArn && orgOrIdentityPolicy(facts)) return hit('explicit_deny', 'global_profile_region');
  if (clues.vpcEndpointPolicy) return hit('explicit_deny', 'vpc_endpoint_policy');
  // AWS's published "approved models" SCP denies with NotResource on foundation-model ARNs: a call through an
  // inference profile is denied on the profile's ARN, which that list does not name.
  if (facts.deniedBy === 'service control policy' && facts.resource?.includes(':inference-profile/')) {
    return hit('explicit_deny', 'scp_inference_profile');
  }
  return hit('explicit_deny', facts.deniedBy ? DENIED_BY_FLAVOUR[facts.deniedBy] : 'unnamed_policy');
};

export const marketplace: Rule = ({ phrases, facts }) => {
  if (has(phrases, 'payment instrument', 'invalid_payment')) {
    return hit('marketplace_subscription_missing', 'payment_method');
  }
  if (facts.actions?.includes('aws-marketplace:CreateAgreementRequest')) {
    return hit('marketplace_subscription_missing', 'agreement_request_denied');
  }
  if (has(phrases, 'subscription to the model could not be established')) {
    return hit('marketplace_subscription_missing', 'subscription_failed');
  }
  if (marketplaceActionNamed(facts)) {
    return hit(
      'marketplace_subscription_missing',
      facts.principalArn ? 'principal_lacks_permissions' : 'permissions_missing',
    );
  }
  if (has(phrases, 'aws marketplace', 'marketplace subscription', 'marketplace actions')) {
    return hit('marketplace_subscription_missing', 'permissions_missing');
  }
  return undefined;
};

export const accountRestricted: Rule = ({ lower, phrases }) => {
  if (has(phrases, 'your account is not authorized to perform this action', 'create a support case')) {
    return hit('account_restricted', 'support_case_required');
  }
  if (has(phrases, 'operation not allowed') && /operation not allowed(?! in)/.test(lower)) {
    return hit('account_restricted', 'operation_not_allowed');
  }
  if (has(phrases, 'unsupported countries', 'unsupported country', 'unsupported regions, or territories')) {
    return hit('account_restricted', 'unsupported_country');
  }
  // A model AWS does not offer to this account at all (it points to AWS Sales, not to a form or a policy).
  if (has(phrases, 'is not available for this account', 'is not available for your account', 'contact aws sales')) {
    return hit('account_restricted', 'model_not_offered');
  }
  if (
    has(
      phrases,
      'account is suspended',
      'account has been suspended',
      'account is not enabled for',
      'is not allowed for this account',
      'not allowed for your account',
    )
  ) {
    return hit('account_restricted', 'account_blocked');
  }
  return undefined;
};

// An agent (or flow) calls its action-group Lambda as the Bedrock service: the function's resource-based policy must
// allow bedrock.amazonaws.com. Bedrock reports that as dependencyFailedException wrapping the Lambda's denial.
export const agentDependency: Rule = ({ phrases, facts, clues }) => {
  if (facts.exception?.toLowerCase() !== 'dependencyfailedexception') return undefined;
  const lambdaNamed = clues.arns.some((a) => a.service === 'lambda') || has(phrases, 'lambda function');
  if (lambdaNamed && has(phrases, 'access denied', 'not authorized', 'permission')) {
    return hit('iam_permission_missing', 'agent_lambda');
  }
  return undefined;
};

/** The finer cause of a missing permission, from the first action that names a Bedrock surface. */
function permissionFlavour(actions: string[]): string {
  if (actions.includes('sts:AssumeRole')) return 'assume_role';
  if (actions.some((a) => a.startsWith('bedrock-mantle:'))) return 'mantle';
  if (actions.some((a) => a.startsWith('aws-external-anthropic:'))) return 'external_anthropic';
  if (actions.includes('bedrock:ApplyGuardrail')) return 'guardrail';
  const bedrockAction = actions.find((a) => a.startsWith('bedrock:'));
  if (bedrockAction && /^bedrock:InvokeModel|^bedrock:Converse/.test(bedrockAction)) return 'invoke';
  return bedrockAction ? 'bedrock_action' : 'other_action';
}

export const iamPermission: Rule = ({ phrases, facts }) => {
  if (
    !has(phrases, 'not authorized to perform:', 'not authorized to perform ') ||
    has(phrases, 'your account is not')
  ) {
    if (!(facts.actions?.length && has(phrases, 'not authorized', 'accessdenied', 'access denied'))) return undefined;
  }
  const flavour = permissionFlavour(facts.actions ?? []);
  if (flavour === 'assume_role') return hit('iam_permission_missing', flavour);
  if (facts.deniedBy === 'resource-based policy') return hit('iam_permission_missing', 'resource_policy');
  return hit('iam_permission_missing', flavour);
};

export const modelAccess: Rule = ({ phrases }) => {
  if (
    has(
      phrases,
      "don't have access to the model",
      'do not have access to the model',
      "don't have access to this model",
      'does not have access to the model',
      'not allowed to access this model',
      'not authorized to access this model',
      'not supported on this account',
      'not enabled for this account',
    )
  ) {
    return hit('model_access_not_granted', 'no_access_to_model');
  }
  if (has(phrases, 'your account is not authorized to invoke this api operation')) {
    return hit('model_access_not_granted', 'account_not_authorized_for_api');
  }
  if (has(phrases, 'access to the model is not enabled', 'model access is not enabled', 'model access is denied')) {
    return hit('model_access_not_granted', 'no_access_to_model');
  }
  return undefined;
};
