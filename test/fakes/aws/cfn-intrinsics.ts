// Resolves the CloudFormation intrinsics our synthesized templates use (Ref, Fn::GetAtt, Fn::Join, Fn::If with
// its Conditions, Fn::Sub, Fn::Select, Fn::Split), the way CloudFormation would for one stack in one account.

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: string }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Rules?: Record<string, unknown>;
}

export interface StackContext {
  accountId: string;
  region: string;
  stackName: string;
  /** Parameter values; a parameter left out takes its Default (and fails when it has none). */
  parameters?: Record<string, string>;
}

const NO_VALUE = Symbol('AWS::NoValue');

export class StackResolver {
  constructor(
    readonly template: CfnTemplate,
    readonly stack: StackContext,
  ) {
    for (const [name, spec] of Object.entries(template.Parameters ?? {})) {
      if (stack.parameters?.[name] === undefined && spec.Default === undefined) {
        throw new Error(`stack ${stack.stackName}: parameter ${name} has no value and no default`);
      }
    }
  }

  /** The physical name CloudFormation gives a resource: its own name property, else `<stack>-<logicalId>`. */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const named = [
      'RoleName',
      'ManagedPolicyName',
      'FunctionName',
      'QueueName',
      'TableName',
      'TopicName',
      'LogGroupName',
    ];
    for (const key of named) {
      const value = resource.Properties?.[key];
      if (value !== undefined) return String(this.resolve(value));
    }
    return `${this.stack.stackName}-${logicalId}`;
  }

  arnOf(logicalId: string): string {
    const { accountId, region } = this.stack;
    const name = this.physicalName(logicalId);
    const type = this.resource(logicalId).Type;
    switch (type) {
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${accountId}:role/${name}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${accountId}:policy/${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${accountId}:${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${accountId}:log-group:${name}:*`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${accountId}:${name}`;
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
      default:
        return `arn:aws:cloudformation:${region}:${accountId}:resource/${this.stack.stackName}/${logicalId}`;
    }
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`stack ${this.stack.stackName}: no resource ${logicalId}`);
    return resource;
  }

  /** Whether a resource exists in this deployment (its Condition, if any, holds). */
  exists(logicalId: string): boolean {
    const condition = this.resource(logicalId).Condition;
    return condition === undefined || this.condition(condition);
  }

  condition(name: string): boolean {
    const spec = this.template.Conditions?.[name];
    if (spec === undefined) throw new Error(`stack ${this.stack.stackName}: no condition ${name}`);
    return Boolean(this.resolve(spec));
  }

  /** A value with every intrinsic replaced; `AWS::NoValue` entries drop out of arrays and objects. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [key, arg] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition')) {
      return this.intrinsic(key, arg);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.resolve(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private intrinsic(name: string, arg: unknown): unknown {
    const args = Array.isArray(arg) ? arg : [arg];
    switch (name) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Condition':
        return this.condition(String(arg));
      case 'Fn::GetAtt': {
        const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : args) as [string, string];
        if (attribute === 'Arn') return this.arnOf(id);
        if (attribute === 'QueueName' || attribute === 'TopicName') return this.physicalName(id);
        if (attribute === 'QueueUrl') {
          return `https://sqs.${this.stack.region}.amazonaws.com/${this.stack.accountId}/${this.physicalName(id)}`;
        }
        return `${this.physicalName(id)}.${attribute}`;
      }
      case 'Fn::Join': {
        const [separator, parts] = args as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, items] = args as [number, unknown];
        return (this.resolve(items) as unknown[])[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = args as [string, unknown];
        return String(this.resolve(text)).split(separator);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = args as [string, unknown, unknown];
        return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = args.map((v) => this.resolve(v));
        return a === b;
      }
      case 'Fn::Not':
        return !this.resolve(args[0]);
      case 'Fn::And':
        return args.every((v) => Boolean(this.resolve(v)));
      case 'Fn::Or':
        return args.some((v) => Boolean(this.resolve(v)));
      case 'Fn::Sub': {
        const [text, vars = {}] = (typeof arg === 'string' ? [arg] : args) as [string, Record<string, unknown>?];
        return text.replace(/\$\{([^}]+)\}/g, (_m, ref: string) => {
          if (ref in vars) return String(this.resolve(vars[ref]));
          const [id, attribute] = ref.split('.');
          return String(attribute ? this.intrinsic('Fn::GetAtt', [id, attribute]) : this.ref(ref));
        });
      }
      default:
        throw new Error(`stack ${this.stack.stackName}: intrinsic ${name} is not implemented in the fake`);
    }
  }

  private ref(name: string): unknown {
    const pseudo: Record<string, unknown> = {
      'AWS::AccountId': this.stack.accountId,
      'AWS::Region': this.stack.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stack.stackName,
      'AWS::NoValue': NO_VALUE,
    };
    if (name in pseudo) return pseudo[name];
    const parameter = this.template.Parameters?.[name];
    if (parameter) return this.stack.parameters?.[name] ?? parameter.Default;
    if (this.template.Resources[name]) {
      const type = this.resource(name).Type;
      // Ref of a queue is its URL, of a topic or managed policy its ARN, of most others the physical name.
      if (type === 'AWS::SQS::Queue') return this.intrinsic('Fn::GetAtt', [name, 'QueueUrl']);
      if (type === 'AWS::SNS::Topic' || type === 'AWS::IAM::ManagedPolicy') return this.arnOf(name);
      return this.physicalName(name);
    }
    throw new Error(`stack ${this.stack.stackName}: Ref to unknown ${name}`);
  }
}
