// dynamoose models for each record kind, all in one table, bound to one dynamoose Instance (never the global one).
import type { DynamoDB } from '@aws-sdk/client-dynamodb';
import dynamoose from 'dynamoose';
import type { ModelType } from 'dynamoose/dist/General.js';
import type { AnyItem } from 'dynamoose/dist/Item.js';
import { REQUEST_STATES } from '../access/request-repository.js';
import { GSI_MODEL, GSI_OPEN_AND_USER } from './table-design.js';

export type AnyModel = ModelType<AnyItem>;

export interface StoreModels {
  instance: InstanceType<typeof dynamoose.Instance>;
  tableName: string;
  Request: AnyModel;
  Audit: AnyModel;
  Participant: AnyModel;
  OpenSlot: AnyModel;
  Delivery: AnyModel;
  Miss: AnyModel;
  RegisteredAccount: AnyModel;
  RegistryAudit: AnyModel;
  RegistryMarker: AnyModel;
}

const keyAttributes = {
  pk: { type: String, hashKey: true },
  sk: { type: String, rangeKey: true },
} as const;

// Nested values are stored as maps and lists but declared with `schema: dynamoose.type.ANY`: dynamoose then skips
// walking them (its per-call cost grows with every nested attribute declared); zod validates them on the way out.
const map = { type: Object, schema: dynamoose.type.ANY };
const list = { type: Array, schema: dynamoose.type.ANY };
const actor = map;
const participant = map;
const slack = map;
const state = { type: String, enum: [...REQUEST_STATES] };

// Declared so dynamoose turns queries on them into key conditions; the table itself is defined in table-design.ts.
const gsi1 = { type: String, index: { name: GSI_OPEN_AND_USER, type: 'global', rangeKey: 'gsi1sk' } };
const gsi2 = { type: String, index: { name: GSI_MODEL, type: 'global', rangeKey: 'gsi2sk' } };

const requestSchema = {
  ...keyAttributes,
  kind: String,
  gsi1pk: gsi1,
  gsi1sk: String,
  gsi2pk: gsi2,
  gsi2sk: String,
  expiresAt: Number,
  id: { type: String, required: true },
  accountId: { type: String, required: true },
  region: { type: String, required: true },
  modelRef: { type: String, required: true },
  baseModelId: { type: String, required: true },
  provider: { type: String, required: true },
  requester: { ...participant, required: true },
  joiners: list,
  participantIds: { type: Set, schema: [String] },
  reason: String,
  state: { ...state, required: true },
  version: { type: Number, required: true },
  decidedBy: actor,
  decidedAt: String,
  lastActor: actor,
  approvalMessage: map,
  progress: list,
  offer: map,
  error: map,
  createdAt: { type: String, required: true },
  updatedAt: { type: String, required: true },
  finishedAt: String,
};

const auditSchema = {
  ...keyAttributes,
  kind: String,
  id: { type: String, required: true },
  requestId: { type: String, required: true },
  at: { type: String, required: true },
  actor: { ...actor, required: true },
  action: { type: String, required: true },
  slack,
  fromState: state,
  toState: state,
  note: String,
};

const participantSchema = {
  ...keyAttributes,
  kind: String,
  gsi1pk: gsi1,
  gsi1sk: String,
  requestId: { type: String, required: true },
  userId: { type: String, required: true },
  expiresAt: Number,
};

const openSlotSchema = { ...keyAttributes, kind: String, requestId: { type: String, required: true } };

const deliverySchema = { ...keyAttributes, kind: String, expiresAt: Number, at: String };

// A paste held for "Not what happened?": gsi1 is set only once it is kept, so the index lists kept misses alone.
const missSchema = {
  ...keyAttributes,
  kind: String,
  gsi1pk: gsi1,
  gsi1sk: String,
  expiresAt: { type: Number, required: true },
  id: { type: String, required: true },
  status: { type: String, enum: ['held', 'kept'], required: true },
  userId: { type: String, required: true },
  teamId: String,
  text: { type: String, required: true },
  diagnosed: { ...map, required: true },
  heldAt: { type: String, required: true },
  keptAt: String,
};

// The account itself is one map: zod checks it on the way out (accountSchema), dynamoose does not walk it.
const registeredAccountSchema = {
  ...keyAttributes,
  kind: String,
  accountId: { type: String, required: true },
  account: { ...map, required: true },
  source: { type: String, enum: ['import', 'organizations', 'seed'], required: true },
  status: { type: String, enum: ['active', 'removed'], required: true },
  updatedAt: { type: String, required: true },
  removedAt: String,
};

const registryAuditSchema = {
  ...keyAttributes,
  kind: String,
  id: { type: String, required: true },
  at: { type: String, required: true },
  actor: { type: String, required: true },
  action: { type: String, required: true },
  added: list,
  updated: list,
  removed: list,
  note: String,
};

const registryMarkerSchema = { ...keyAttributes, kind: String, value: { type: String, required: true } };

// dynamoose registers models by name process-wide; a unique suffix keeps two stores in one process apart.
let storeCount = 0;

/**
 * Builds the models on a fresh dynamoose Instance that talks through `client`.
 * @param manageTable false in production: no CreateTable, UpdateTable or DescribeTable, ever.
 */
export function createModels(client: DynamoDB, name: string): StoreModels {
  const instance = new dynamoose.Instance();
  instance.aws.ddb.set(client);
  const suffix = `${name}#${++storeCount}`;
  // Each model starts on a placeholder table name: a model that finds another with its table name binds that one
  // to the global default Instance. The Table below then gives all of them the real name and our Instance.
  const model = (kind: string, schema: Record<string, unknown>) =>
    dynamoose.model<AnyItem>(
      `${kind}@${suffix}`,
      // any: dynamoose's SchemaDefinition type cannot express this plain attribute map
      new dynamoose.Schema(schema as any, { saveUnknown: false }),
      { tableName: `${kind}@${suffix}`, create: false, update: false, waitForActive: false },
    );
  const Request = model('Request', requestSchema);
  const Audit = model('Audit', auditSchema);
  const Participant = model('Participant', participantSchema);
  const OpenSlot = model('OpenSlot', openSlotSchema);
  const Delivery = model('Delivery', deliverySchema);
  const Miss = model('Miss', missSchema);
  const RegisteredAccount = model('RegisteredAccount', registeredAccountSchema);
  const RegistryAudit = model('RegistryAudit', registryAuditSchema);
  const RegistryMarker = model('RegistryMarker', registryMarkerSchema);
  const all = [Request, Audit, Participant, OpenSlot, Delivery, Miss, RegisteredAccount, RegistryAudit, RegistryMarker];
  new instance.Table(name, all, {
    create: false,
    update: false,
    waitForActive: false,
  });
  return {
    instance,
    tableName: name,
    Request,
    Audit,
    Participant,
    OpenSlot,
    Delivery,
    Miss,
    RegisteredAccount,
    RegistryAudit,
    RegistryMarker,
  };
}
