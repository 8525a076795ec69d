// All configuration, validated once at start. A bad setting fails fast, naming the variable and the expected shape.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ACCOUNT_ID_RE, AWS_REGION_RE, ROLE_ARN_RE } from './aws-shapes.js';

const region = z.string().regex(AWS_REGION_RE, 'an AWS region such as us-east-1');
// STS's ExternalId: 2-1224 characters from [\w+=,.@:/-] (AssumeRole API reference).
const externalId = z
  .string()
  .regex(/^[\w+=,.@:/-]{2,1224}$/, 'an ExternalId of 2-1224 letters, digits and _+=,.@:/- (no spaces)');
const roleArn = z
  .string()
  .regex(ROLE_ARN_RE, 'an IAM role ARN such as arn:aws:iam::123456789012:role/bedrock-doctor-activation');
const slackChannel = z.string().regex(/^[CG][A-Z0-9]{6,}$/, 'a Slack channel id such as C0123456789');

export const accountSchema = z
  .object({
    id: z.string().regex(ACCOUNT_ID_RE, 'a 12-digit AWS account id'),
    alias: z.string().min(1).max(64),
    /** Role the bot assumes to read model status; omit for the bot's own account. */
    readRoleArn: roleArn.optional(),
    /** Admin role that activates models (holds the Marketplace rights). */
    activationRoleArn: roleArn.optional(),
    /** ExternalId the roles' trust policies require, if any. */
    externalId: externalId.optional(),
    regions: z.array(region).min(1, 'at least one region'),
    approverChannel: slackChannel.optional(),
    /** Slack users who may approve this account's requests (in addition to the global approvers). */
    approvers: z.array(z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'Slack user ids such as U0123456789')).optional(),
    default: z.boolean().optional(),
  })
  .strict();
export type AccountConfig = z.infer<typeof accountSchema>;

/** The default account may be left unnamed: its id is learnt from GetCallerIdentity. */
export type Account = Omit<AccountConfig, 'id'> & { id?: string };

const accountsSchema = z
  .array(accountSchema)
  .min(1, 'at least one account')
  .refine((a) => new Set(a.map((x) => x.id)).size === a.length, 'account ids must be unique')
  .refine((a) => new Set(a.map((x) => x.alias)).size === a.length, 'account aliases must be unique')
  .refine((a) => a.filter((x) => x.default).length <= 1, 'at most one account may be marked "default": true');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number, what: string) =>
  z.coerce.number({ message: what }).int(what).min(min, what).max(max, what);
const list = (item: z.ZodString) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/** Keyed by environment variable, so every error names the variable to fix. */
const envSchema = z.object({
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { message: 'one of debug, info, warn, error' }).default('info'),
  AWS_REGION: region.optional(),
  AWS_DEFAULT_REGION: region.optional(),
  BEDROCK_DOCTOR_ACCOUNTS: z.string().optional(),
  BEDROCK_DOCTOR_ACCOUNTS_FILE: z.string().min(1).optional(),
  BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE: z.string().min(1).optional(),
  BEDROCK_DOCTOR_REGIONS: list(region).optional(),
  // The SDK would read this itself from process.env; reading it here validates it and reaches injected envs too.
  AWS_MAX_ATTEMPTS: int(1, 10, 'a whole number of attempts between 1 and 10').default(3),
  ACTIVATION_ROLE_ARN: roleArn.optional(),
  ACTIVATION_EXTERNAL_ID: externalId.optional(),
  ACTIVATION_DEADLINE_SECONDS: int(10, 86_400, 'a whole number of seconds between 10 and 86400').default(900),
  ACTIVATION_POLL_INTERVAL_MS: int(50, 600_000, 'a whole number of milliseconds between 50 and 600000').default(5000),
  ACTIVATION_VERIFY: bool.default(false),
  USE_CASE_FORM_FILE: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DYNAMODB_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,200}$/, 'letters, digits, "_", "-" or "." (DynamoDB table-name characters)')
    .optional(),
  AWS_ENDPOINT_URL_DYNAMODB: z.url({ message: 'a URL such as http://127.0.0.1:8000' }).optional(),
  REQUEST_TTL_DAYS: int(1, 3650, 'a whole number of days between 1 and 3650').default(90),
  IDEMPOTENCY_TTL_HOURS: int(1, 720, 'a whole number of hours between 1 and 720').default(24),
  MISSES_TTL_DAYS: int(1, 3650, 'a whole number of days between 1 and 3650').default(14),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'a bot token starting with xoxb-')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(1, 'the signing secret from the app\'s "Basic Information" page').optional(),
  // Key rotation: jobs made before the rotation, signed with the old secret, still run until they age out.
  SLACK_PREVIOUS_SIGNING_SECRET: z.string().min(1, 'the signing secret before the last rotation').optional(),
  SLACK_SIGNING_SECRET_ROTATED_AT: z.iso
    .datetime({ offset: true, message: 'an ISO 8601 time such as 2026-01-31T09:00:00Z' })
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'an app-level token starting with xapp-')
    .optional(),
  SLACK_API_URL: z
    .url({ message: 'a URL ending in /api/, such as https://slack.com/api/' })
    .refine((url) => url.endsWith('/api/'), 'a URL ending in /api/, such as https://slack.com/api/')
    .optional(),
  // Known bot ids let a start skip auth.test (Bolt asks Slack for them otherwise): a cold start makes no Slack call.
  SLACK_BOT_ID: z
    .string()
    .regex(/^B[A-Z0-9]{6,}$/, "a bot id such as B0123456789 (auth.test's bot_id)")
    .optional(),
  SLACK_BOT_USER_ID: z
    .string()
    .regex(/^[UW][A-Z0-9]{6,}$/, "a bot user id such as U0123456789 (auth.test's user_id)")
    .optional(),
  SLACK_APPROVER_CHANNEL: slackChannel.optional(),
  SLACK_APPROVER_USER_IDS: list(
    z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'Slack user ids such as U0123456789'),
  ).optional(),
  SLACK_TEAM_ID: z
    .string()
    .regex(/^T[A-Z0-9]{6,}$/, 'a Slack team id such as T0123456789')
    .optional(),
  PORT: int(1, 65_535, 'a TCP port between 1 and 65535').default(3000),
  // Approval flow: who approves, where cards go, which models are refused.
  SLACK_APPROVER_GROUP_ID: z
    .string()
    .regex(/^S[A-Z0-9]{6,}$/, 'a Slack user group id such as S0123456789')
    .optional(),
  ALLOW_SELF_APPROVAL: bool.default(false),
  ALLOW_CROSS_WORKSPACE_APPROVAL: bool.default(false),
  BLOCKED_MODELS: z.string().optional(),
  REQUEST_REMIND_AFTER_MINUTES: int(1, 10_080, 'a whole number of minutes between 1 and 10080').default(60),
  // Hours, fractions allowed: 0.5 is half an hour.
  REQUEST_EXPIRE_AFTER_HOURS: z.coerce
    .number({ message: 'a number of hours such as 72 or 0.5' })
    .positive('a number of hours above 0, such as 72 or 0.5')
    .max(2_160, 'at most 2160 hours (90 days)')
    .default(72),
  RECONCILE_INTERVAL_SECONDS: int(1, 86_400, 'a whole number of seconds between 1 and 86400').default(60),
  // Fair shares: one person cannot flood the bot with status checks or request/cancel loops.
  STATUS_CHECKS_PER_MINUTE: int(1, 10_000, 'a whole number of checks between 1 and 10000').default(10),
  STATUS_CACHE_SECONDS: int(0, 3600, 'a whole number of seconds between 0 and 3600').default(30),
  REQUEST_COOLDOWN_MINUTES: int(0, 10_080, 'a whole number of minutes between 0 and 10080').default(30),
  REQUESTS_PER_USER_PER_HOUR: int(1, 1000, 'a whole number of requests between 1 and 1000').default(5),
});

export interface Config {
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The region used when none is named (AWS_REGION, else us-east-1). */
  defaultRegion: string;
  /** Registered accounts; with no registry, one default account for the bot's own credentials. */
  accounts: Account[];
  /** Set when `accounts` is the whole registry, from this variable; unset: the stored registry (state table) serves. */
  accountsFrom?: 'BEDROCK_DOCTOR_ACCOUNTS' | 'BEDROCK_DOCTOR_ACCOUNTS_FILE';
  /** BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE: accounts imported into the stored registry whenever the file changes. */
  accountsSeedFile?: string;
  aws: {
    /** SDK attempts per Bedrock/STS call (standard retry mode), first try included. */
    maxAttempts: number;
  };
  activation: {
    deadlineMs: number;
    pollIntervalMs: number;
    verifyWithConverse: boolean;
    /** Path to the organisation's vetted Anthropic use-case form (JSON), if any. */
    useCaseFormFile?: string;
  };
  store: {
    dataDir: string;
    tablePrefix?: string;
    /** Set when an external DynamoDB (or DynamoDB Local) is to be used instead of the embedded store. */
    endpoint?: string;
    requestTtlDays: number;
    idempotencyTtlHours: number;
  };
  slack: {
    botToken?: string;
    signingSecret?: string;
    /** SLACK_PREVIOUS_SIGNING_SECRET with SLACK_SIGNING_SECRET_ROTATED_AT (epoch ms): see README "Rotating secrets". */
    previousSigningSecret?: { secret: string; rotatedAt: number };
    appToken?: string;
    apiUrl?: string;
    /** With botUserId: the app never calls auth.test (SLACK_BOT_ID / SLACK_BOT_USER_ID). */
    botId?: string;
    botUserId?: string;
    approverChannel?: string;
    approverUserIds: string[];
    teamId?: string;
    port: number;
  };
  /** The approval flow: who approves, what is never activated, and how long requests wait. */
  approval: ApprovalSettings;
  /** "Not what happened?": days a paste its author kept is stored (MISSES_TTL_DAYS). */
  misses: { ttlDays: number };
  /** Each person's share of status checks, and how long an answer is reused. */
  limits: { statusChecksPerMinute: number; statusCacheMs: number };
}

/** A model-id pattern (`*` matches anything) the organisation never activates, and the reason people are shown. */
export interface BlockedModel {
  pattern: string;
  reason: string;
}

export interface ApprovalSettings {
  /** SLACK_APPROVER_CHANNEL: where approval cards go when the account names no `approverChannel`. */
  approverChannel?: string;
  /** SLACK_APPROVER_USER_IDS. */
  approverUserIds: string[];
  /** SLACK_APPROVER_GROUP_ID: members of this user group approve (read at click time). */
  approverGroupId?: string;
  /** ALLOW_SELF_APPROVAL: a requester (or joiner) may approve their own request. @default false */
  allowSelfApproval: boolean;
  /**
   * ALLOW_CROSS_WORKSPACE_APPROVAL: in an Enterprise Grid organisation, people of another workspace than the
   * request's may decide it. @default false
   */
  allowCrossWorkspaceApproval?: boolean;
  /** BLOCKED_MODELS: JSON object, model-id pattern → reason. */
  blockedModels: BlockedModel[];
  remindAfterMs: number;
  expireAfterMs: number;
  reconcileIntervalMs: number;
  /** REQUEST_COOLDOWN_MINUTES: a requester who cancelled waits this long before asking for that model again. @default 30 min */
  requestCooldownMs?: number;
  /** REQUESTS_PER_USER_PER_HOUR: requests one person may open in an hour. @default 5 */
  requestsPerUserPerHour?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates all settings from the environment. Throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env, readFile: (path: string) => string = readText): Config {
  // Empty strings count as unset: `FOO=` in a .env file should not fail a regex.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? 'configuration')}: ${describeIssue(i)}`),
    );
  }
  const e = parsed.data;
  if (Boolean(e.SLACK_BOT_ID) !== Boolean(e.SLACK_BOT_USER_ID)) {
    throw new ConfigError(['SLACK_BOT_ID and SLACK_BOT_USER_ID: expected both (to skip auth.test) or neither']);
  }
  if (Boolean(e.SLACK_PREVIOUS_SIGNING_SECRET) !== Boolean(e.SLACK_SIGNING_SECRET_ROTATED_AT)) {
    throw new ConfigError([
      'SLACK_PREVIOUS_SIGNING_SECRET and SLACK_SIGNING_SECRET_ROTATED_AT: expected both (after a rotation) or neither',
    ]);
  }
  const defaultRegion = e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1';
  const accounts = readAccounts(e, defaultRegion, readFile);
  return {
    logLevel: e.LOG_LEVEL,
    defaultRegion,
    accounts,
    ...(e.BEDROCK_DOCTOR_ACCOUNTS ? { accountsFrom: 'BEDROCK_DOCTOR_ACCOUNTS' as const } : {}),
    ...(e.BEDROCK_DOCTOR_ACCOUNTS_FILE ? { accountsFrom: 'BEDROCK_DOCTOR_ACCOUNTS_FILE' as const } : {}),
    ...(e.BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE ? { accountsSeedFile: e.BEDROCK_DOCTOR_ACCOUNTS_SEED_FILE } : {}),
    aws: { maxAttempts: e.AWS_MAX_ATTEMPTS },
    activation: {
      deadlineMs: e.ACTIVATION_DEADLINE_SECONDS * 1000,
      pollIntervalMs: e.ACTIVATION_POLL_INTERVAL_MS,
      verifyWithConverse: e.ACTIVATION_VERIFY,
      useCaseFormFile: e.USE_CASE_FORM_FILE,
    },
    store: {
      dataDir: e.DATA_DIR,
      tablePrefix: e.DYNAMODB_TABLE_PREFIX,
      endpoint: e.AWS_ENDPOINT_URL_DYNAMODB,
      requestTtlDays: e.REQUEST_TTL_DAYS,
      idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      ...(e.SLACK_PREVIOUS_SIGNING_SECRET && e.SLACK_SIGNING_SECRET_ROTATED_AT
        ? {
            previousSigningSecret: {
              secret: e.SLACK_PREVIOUS_SIGNING_SECRET,
              rotatedAt: Date.parse(e.SLACK_SIGNING_SECRET_ROTATED_AT),
            },
          }
        : {}),
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      botId: e.SLACK_BOT_ID,
      botUserId: e.SLACK_BOT_USER_ID,
      approverChannel: e.SLACK_APPROVER_CHANNEL,
      approverUserIds: e.SLACK_APPROVER_USER_IDS ?? [],
      teamId: e.SLACK_TEAM_ID,
      port: e.PORT,
    },
    approval: {
      approverChannel: e.SLACK_APPROVER_CHANNEL,
      approverUserIds: e.SLACK_APPROVER_USER_IDS ?? [],
      approverGroupId: e.SLACK_APPROVER_GROUP_ID,
      allowSelfApproval: e.ALLOW_SELF_APPROVAL,
      allowCrossWorkspaceApproval: e.ALLOW_CROSS_WORKSPACE_APPROVAL,
      blockedModels: readBlockedModels(e.BLOCKED_MODELS),
      remindAfterMs: e.REQUEST_REMIND_AFTER_MINUTES * 60_000,
      expireAfterMs: Math.round(e.REQUEST_EXPIRE_AFTER_HOURS * 3_600_000),
      reconcileIntervalMs: e.RECONCILE_INTERVAL_SECONDS * 1000,
      requestCooldownMs: e.REQUEST_COOLDOWN_MINUTES * 60_000,
      requestsPerUserPerHour: e.REQUESTS_PER_USER_PER_HOUR,
    },
    limits: {
      statusChecksPerMinute: e.STATUS_CHECKS_PER_MINUTE,
      statusCacheMs: e.STATUS_CACHE_SECONDS * 1000,
    },
    misses: { ttlDays: e.MISSES_TTL_DAYS },
  };
}

const blockedModelsSchema = z.record(
  z.string().regex(/^[A-Za-z0-9._:*/-]{1,200}$/, 'model-id patterns (letters, digits, . _ : / - and *)'),
  z.string().min(1, 'a reason people are shown').max(500),
);

const BLOCKED_MODELS_SHAPE = 'a JSON object of model-id pattern → reason, e.g. {"meta.llama2*":"End of life"}';

function readBlockedModels(raw: string | undefined): BlockedModel[] {
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError([`BLOCKED_MODELS: expected ${BLOCKED_MODELS_SHAPE}`]);
  }
  const parsed = blockedModelsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) =>
        i.path.length === 0
          ? // The whole value has the wrong shape: say what it should be, not zod's "Invalid input".
            `BLOCKED_MODELS: ${describeIssue(i, { record: BLOCKED_MODELS_SHAPE })}`
          : `BLOCKED_MODELS${i.path.map((p) => `[${String(p)}]`).join('')}: expected ${i.message}`,
      ),
    );
  }
  return Object.entries(parsed.data).map(([pattern, reason]) => ({ pattern, reason }));
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function readAccounts(e: z.infer<typeof envSchema>, defaultRegion: string, readFile: (p: string) => string): Account[] {
  let raw: string | undefined;
  let source = 'BEDROCK_DOCTOR_ACCOUNTS';
  if (e.BEDROCK_DOCTOR_ACCOUNTS && e.BEDROCK_DOCTOR_ACCOUNTS_FILE) {
    throw new ConfigError(['BEDROCK_DOCTOR_ACCOUNTS and BEDROCK_DOCTOR_ACCOUNTS_FILE: set one of them, not both']);
  }
  if (e.BEDROCK_DOCTOR_ACCOUNTS) raw = e.BEDROCK_DOCTOR_ACCOUNTS;
  else if (e.BEDROCK_DOCTOR_ACCOUNTS_FILE) {
    source = 'BEDROCK_DOCTOR_ACCOUNTS_FILE';
    try {
      raw = readFile(e.BEDROCK_DOCTOR_ACCOUNTS_FILE);
    } catch {
      throw new ConfigError([
        `${source}: expected a readable JSON file, could not read ${e.BEDROCK_DOCTOR_ACCOUNTS_FILE}`,
      ]);
    }
  }
  if (raw === undefined) {
    return [
      {
        alias: 'default',
        regions: e.BEDROCK_DOCTOR_REGIONS?.length ? e.BEDROCK_DOCTOR_REGIONS : [defaultRegion],
        activationRoleArn: e.ACTIVATION_ROLE_ARN,
        externalId: e.ACTIVATION_EXTERNAL_ID,
        default: true,
      },
    ];
  }
  return parseAccounts(raw, source);
}

/** A JSON array in the README's "Accounts" format, checked as a whole; ConfigError names `source` in each problem. */
export function parseAccounts(raw: string, source: string): AccountConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError([`${source}: expected a JSON array of accounts (see README "Accounts"), got invalid JSON`]);
  }
  const parsed = accountsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) =>
          `${source}${i.path.map((p) => `[${String(p)}]`).join('')}: ${describeIssue(i, {
            array: i.path.length === 0 ? 'a JSON array of accounts (see README "Accounts")' : undefined,
            fields: Object.keys(accountSchema.shape),
          })}`,
      ),
    );
  }
  return parsed.data;
}

type Issue = z.ZodError['issues'][number];

/**
 * One line per problem saying what was expected. Our schemas carry that in their messages ("a TCP port …"); zod's own
 * messages ("Invalid input: expected array, received object") are for developers, so those are reworded here.
 */
function describeIssue(
  issue: Issue,
  context: { array?: string | undefined; record?: string; fields?: string[] } = {},
): string {
  if (!/^(Invalid|Too small|Too big|Unrecognized)/.test(issue.message)) return `expected ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected =
        issue.expected === 'array' && context.array
          ? context.array
          : issue.expected === 'record' && context.record
            ? context.record
            : withArticle(issue.expected);
      const got = /received (\w+)/.exec(issue.message)?.[1];
      if (got === 'undefined') return `missing; expected ${expected}`;
      return `expected ${expected}${got ? `, got ${withArticle(got)}` : ''}`;
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      const known = context.fields ? `; expected only ${context.fields.join(', ')}` : '';
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}${known}`;
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const unit = issue.origin === 'array' ? 'item(s)' : issue.origin === 'string' ? 'character(s)' : '';
      return `expected ${bound} ${unit}`.trimEnd();
    }
  }
  return `expected a valid value (${issue.message})`;
}

function withArticle(type: string): string {
  if (type === 'null' || type === 'undefined') return type;
  const name = type === 'object' ? 'JSON object' : type;
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}

/** The account to use: by id or alias, else the one marked default, else the first. */
export function findAccount(config: { accounts: readonly Account[] }, idOrAlias?: string): Account | undefined {
  if (!idOrAlias) return config.accounts.find((a) => a.default) ?? config.accounts[0];
  return config.accounts.find((a) => a.id === idOrAlias || a.alias === idOrAlias);
}
