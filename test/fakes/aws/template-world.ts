// "Deploys" synthesized CloudFormation templates into a fake AWS world: every IAM role with its trust policy and its
// inline, attached and managed policies, exactly as the template writes them. A Lambda function's code then runs
// with a session of its role, as Lambda would give it, so every AWS call it makes is judged by the template's IAM.
import { type CfnTemplate, type StackContext, StackResolver } from './cfn-intrinsics.js';
import { type PolicyDocument, type PolicyStatement, statementsOf, wildcardMatch } from './iam-policy.js';
import type { FakeAwsWorld } from './world.js';

export interface DeployedStack {
  resolver: StackResolver;
  /** Logical id → ARN of every role the stack created. */
  roles: Record<string, string>;
}

export interface SessionKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** Adds the template's roles to the world (the account must exist). Returns what it deployed. */
export function deployTemplate(world: FakeAwsWorld, template: CfnTemplate, stack: StackContext): DeployedStack {
  const resolver = new StackResolver(template, stack);
  const roles: Record<string, string> = {};
  const ofType = (type: string) =>
    Object.entries(template.Resources).filter(([id, r]) => r.Type === type && resolver.exists(id));
  for (const [id, resource] of ofType('AWS::IAM::Role')) {
    const props = resolver.resolve(resource.Properties ?? {}) as {
      AssumeRolePolicyDocument: PolicyDocument;
      Policies?: Array<{ PolicyDocument: PolicyDocument }>;
    };
    const name = resolver.physicalName(id);
    roles[id] = world.addRole(stack.accountId, name, {
      allow: [],
      trustPolicy: props.AssumeRolePolicyDocument,
      identityPolicies: (props.Policies ?? []).map((p) => p.PolicyDocument),
    });
  }
  // AWS::IAM::Policy names its roles; AWS::IAM::ManagedPolicy may too. Both add to the roles' identity policies.
  for (const [, resource] of [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')]) {
    const props = resolver.resolve(resource.Properties ?? {}) as { PolicyDocument: PolicyDocument; Roles?: string[] };
    for (const roleName of props.Roles ?? []) {
      const role = world.principals.get(`arn:aws:iam::${stack.accountId}:role/${roleName}`);
      if (!role) throw new Error(`policy attached to unknown role ${roleName}`);
      role.identityPolicies = [...(role.identityPolicies ?? []), props.PolicyDocument];
    }
  }
  return { resolver, roles };
}

/**
 * Credentials of a function's execution role, as Lambda hands them to the function: only if the role's trust policy
 * lets the Lambda service assume it.
 */
export function lambdaSession(world: FakeAwsWorld, roleArn: string, functionName: string): SessionKeys {
  const role = world.principals.get(roleArn);
  const trust = role?.trustPolicy ? statementsOf(role.trustPolicy) : [];
  const lambdaMay = trust.some(
    (s) =>
      s.Effect === 'Allow' &&
      typeof s.Principal === 'object' &&
      [s.Principal.Service].flat().includes('lambda.amazonaws.com') &&
      [s.Action].flat().includes('sts:AssumeRole'),
  );
  if (!role || !lambdaMay) throw new Error(`${roleArn} does not let Lambda assume it: the function could not start`);
  const cred = world.mintSession(role, functionName, 3600, undefined, {});
  return {
    accessKeyId: cred.accessKeyId,
    secretAccessKey: cred.secretAccessKey,
    sessionToken: cred.sessionToken ?? '',
  };
}

/** One Allow grant of a template's role that no call used, in any account the template was deployed to. */
export interface UnusedGrant {
  role: string;
  action: string;
  resources: string[];
}

/**
 * Allowed (action, resource) grants that no authorization in the world's log matched: what a least-privilege review
 * would strike. `roles` maps a template role (its logical id) to the ARNs it was deployed as; a grant counts as used
 * when any of them used it. `exempt` filters out what AWS uses on the function's behalf.
 */
export function unusedGrants(
  world: FakeAwsWorld,
  roles: Record<string, readonly string[]>,
  exempt: (action: string) => boolean = () => false,
): UnusedGrant[] {
  const unused: UnusedGrant[] = [];
  for (const [role, arns] of Object.entries(roles)) {
    const first = arns[0] ? world.principals.get(arns[0]) : undefined;
    const statements = (first?.identityPolicies ?? []).flatMap(statementsOf).filter((s) => s.Effect === 'Allow');
    const used = world.authorizations.filter((a) => a.allowed && arns.includes(a.principalArn));
    for (const statement of statements) {
      for (const action of actionsOf(statement)) {
        if (exempt(action)) continue;
        const resources = [statement.Resource ?? '*'].flat();
        const hit = used.some(
          (a) => wildcardMatch(action, a.action, true) && resources.some((r) => wildcardMatch(r, a.resource)),
        );
        if (!hit) unused.push({ role, action, resources });
      }
    }
  }
  return unused;
}

function actionsOf(statement: PolicyStatement): string[] {
  return [statement.Action ?? []].flat();
}
