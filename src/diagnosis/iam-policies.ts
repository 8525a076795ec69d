// IAM building blocks for remediation: who the principal is, least-privilege policy documents, and the exact
// command that attaches a policy to that principal. Unknown values become visible placeholders, never guesses.
import { baseModelIdOf, INFERENCE_PROFILE_PREFIXES } from './providers.js';
import type { Facts } from './types.js';

export interface Principal {
  kind: 'role' | 'user' | 'unknown';
  /** Role or user name; a placeholder when unknown. */
  name: string;
  /** The IAM ARN to simulate against, as a shell expression when it must be looked up. */
  iamArnExpr: string;
  /** IAM Identity Center permission-set role: the policy belongs in the permission set, not the role. */
  ssoPermissionSet: boolean;
  /** The service role Bedrock assumes for an agent or a knowledge base. */
  bedrockServiceRole?: 'agent' | 'knowledge_base';
}

/** Quotes a value for a POSIX shell unless it is plainly safe or a `<placeholder>`. */
export function sh(value: string): string {
  if (/^[\w.:/@=+,%-]+$/.test(value) || /^<[a-z0-9-]+>$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function principalOf(arn: string | undefined): Principal {
  const parts = arn?.startsWith('arn:') ? arn.split(':') : [];
  const resource = parts.slice(5).join(':');
  const account = parts[4] && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
  let kind: Principal['kind'] = 'unknown';
  let name = '';
  if (resource.startsWith('assumed-role/')) {
    kind = 'role';
    name = resource.split('/')[1] ?? '';
  } else if (resource.startsWith('role/')) {
    kind = 'role';
    name = resource.split('/').pop() ?? '';
  } else if (resource.startsWith('user/')) {
    kind = 'user';
    name = resource.split('/').pop() ?? '';
  }
  if (!name) return { kind: 'unknown', name: '<role-name>', iamArnExpr: '<principal-arn>', ssoPermissionSet: false };
  const lookup =
    kind === 'role'
      ? `$(aws iam get-role --role-name ${sh(name)} --query Role.Arn --output text)`
      : `$(aws iam get-user --user-name ${sh(name)} --query User.Arn --output text)`;
  const principal: Principal = {
    kind,
    name,
    // Role paths are not in an assumed-role ARN, so the IAM ARN is looked up rather than rebuilt.
    iamArnExpr: kind === 'user' && account && arn ? arn : lookup,
    ssoPermissionSet: name.startsWith('AWSReservedSSO_'),
  };
  if (/^AmazonBedrockExecutionRoleForAgents_/i.test(name)) principal.bedrockServiceRole = 'agent';
  if (/^AmazonBedrockExecutionRoleForKnowledgeBase_/i.test(name)) principal.bedrockServiceRole = 'knowledge_base';
  return principal;
}

/** A bash block that writes the policy to a file and attaches it inline to the principal. */
export function attachPolicyCommand(principal: Principal, policyName: string, document: object): string {
  const file = `${policyName}.json`;
  const json = JSON.stringify(document, null, 2);
  const write = `cat > ${file} <<'EOF'\n${json}\nEOF\n`;
  if (principal.ssoPermissionSet) {
    return (
      `${write}# ${principal.name} is managed by IAM Identity Center: add the policy to its permission set\n` +
      `aws sso-admin put-inline-policy-to-permission-set --instance-arn <sso-instance-arn> \\\n` +
      `  --permission-set-arn <permission-set-arn> --inline-policy file://${file}\n` +
      `aws sso-admin provision-permission-set --instance-arn <sso-instance-arn> \\\n` +
      `  --permission-set-arn <permission-set-arn> --target-type ALL_PROVISIONED_ACCOUNTS`
    );
  }
  if (principal.kind === 'user') {
    return `${write}aws iam put-user-policy --user-name ${sh(principal.name)} --policy-name ${policyName} --policy-document file://${file}`;
  }
  return `${write}aws iam put-role-policy --role-name ${sh(principal.name)} --policy-name ${policyName} --policy-document file://${file}`;
}

export const MARKETPLACE_ACTIONS = [
  'aws-marketplace:Subscribe',
  'aws-marketplace:Unsubscribe',
  'aws-marketplace:ViewSubscriptions',
] as const;

/** The Marketplace rights Bedrock needs on first use, limited to calls Bedrock makes on the principal's behalf. */
export function marketplacePolicy(extraActions: string[] = []): object {
  const actions = [
    ...MARKETPLACE_ACTIONS,
    ...extraActions.filter((a) => !(MARKETPLACE_ACTIONS as readonly string[]).includes(a)),
  ];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowBedrockModelSubscriptionOnFirstUse',
        Effect: 'Allow',
        Action: actions,
        Resource: '*',
        Condition: { StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } },
      },
    ],
  };
}

function geoPrefixOf(modelId: string): string | undefined {
  const head = modelId.slice(0, modelId.indexOf('.'));
  return (INFERENCE_PROFILE_PREFIXES as readonly string[]).includes(head) && baseModelIdOf(modelId) !== modelId
    ? head
    : undefined;
}

/**
 * Resources an invoke permission must cover: the foundation model in every region a cross-region profile may
 * route to, the profile itself, and the region-less ARN global profiles use.
 */
export function invokeResources(facts: Facts): string[] {
  const resources: string[] = [];
  const account = facts.accountId ?? '*';
  const region = facts.region ?? '*';
  const model = facts.modelId;
  const base = facts.baseModelId;
  if (model?.startsWith('arn:')) resources.push(model);
  if (base) {
    resources.push(`arn:aws:bedrock:*::foundation-model/${base}`);
    const geo = model && !model.startsWith('arn:') ? geoPrefixOf(model) : undefined;
    if (geo && model) resources.push(`arn:aws:bedrock:${region}:${account}:inference-profile/${model}`);
    if (geo === 'global' || facts.resource?.startsWith('arn:aws:bedrock:::')) {
      resources.push(`arn:aws:bedrock:::foundation-model/${base}`);
    }
  } else if (!model) {
    resources.push('arn:aws:bedrock:*::foundation-model/*', `arn:aws:bedrock:*:${account}:inference-profile/*`);
  }
  if (facts.resource?.startsWith('arn:') && !resources.includes(facts.resource) && !facts.resource.includes('{')) {
    resources.push(facts.resource);
  }
  return [...new Set(resources)];
}

export function invokePolicy(facts: Facts): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowBedrockInvoke',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: invokeResources(facts),
      },
    ],
  };
}

/** A policy for the named non-invoke actions, on the named resource when the message gives one. */
export function actionsPolicy(actions: string[], resource: string | undefined): object {
  const usable = resource && (resource === '*' || (resource.startsWith('arn:') && !/[{}]/.test(resource)));
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AllowNamedActions', Effect: 'Allow', Action: actions, Resource: usable ? resource : '*' }],
  };
}
