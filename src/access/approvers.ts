// Who may decide a request, read at click time: configured user ids, the approver user group's current members,
// and the account's own approvers from the registry. Whoever asked (requester or joiner) may not approve unless
// ALLOW_SELF_APPROVAL=true; clicks from another app, organisation or (unless ALLOW_CROSS_WORKSPACE_APPROVAL=true)
// another workspace of the organisation are refused, for every decision (cancel included).
import type { Account, ApprovalSettings } from '../config.js';
import type { ApproverDirectory, Installation, SlackActor } from './approval-ports.js';
import type { ActivationRequest } from './request-repository.js';

export interface ApproverCheckDeps {
  settings: Pick<
    ApprovalSettings,
    'approverUserIds' | 'approverGroupId' | 'allowSelfApproval' | 'allowCrossWorkspaceApproval'
  >;
  directory: ApproverDirectory;
  /** Who the bot is installed as; a function is asked at the first decision (it may call Slack). */
  installation?: Installation | (() => Promise<Installation>);
}

/** A passing failure (Slack did not answer), not a verdict on the person: callers may try again later. */
export const GROUP_UNREADABLE =
  'I could not read the approver group from Slack just now, so I cannot tell whether you are an approver. Try again in a minute.';

/**
 * Why the click is not this installation's to act on (another app, organisation or workspace), in words shown to the
 * clicker; undefined when it is. Every decision, cancel included, checks this first.
 */
export async function installationRefusal(
  deps: Pick<ApproverCheckDeps, 'settings' | 'installation'>,
  request: ActivationRequest,
  actor: SlackActor,
): Promise<string | undefined> {
  let home: Installation | undefined;
  try {
    home = typeof deps.installation === 'function' ? await deps.installation() : deps.installation;
  } catch {
    return 'I could not confirm which workspace this bot is installed in just now. Try again in a minute.';
  }
  if (home?.appId && actor.appId && actor.appId !== home.appId) {
    return 'This button belongs to another Slack app.';
  }
  if (home && !sameOrganisation(home, actor)) {
    return 'Only people in the workspace this bot is installed in can decide requests.';
  }
  if (home && !deps.settings.allowCrossWorkspaceApproval && !sameWorkspace(home, actor, request)) {
    return "Only people in this request's workspace can decide it: deciding from another workspace of the organisation is turned off.";
  }
  return undefined;
}

/** Why `actor` may not make this decision, in words shown to them; undefined when they may. */
export async function approverRefusal(
  deps: ApproverCheckDeps,
  request: ActivationRequest,
  account: Account | undefined,
  actor: SlackActor,
  decision: 'approve' | 'reject',
): Promise<string | undefined> {
  const foreign = await installationRefusal(deps, request, actor);
  if (foreign) return foreign;
  if (decision === 'approve' && !deps.settings.allowSelfApproval) {
    if (actor.userId === request.requester.userId)
      return 'You cannot approve your own request: another approver has to.';
    if (joinedBeforeDecision(request, actor.userId)) {
      return 'You asked for this model too (you joined this request), so you cannot approve it: another approver has to.';
    }
  }
  const direct = new Set([...deps.settings.approverUserIds, ...(account?.approvers ?? [])]);
  if (direct.has(actor.userId)) return undefined;
  const group = deps.settings.approverGroupId;
  if (group) {
    let members: string[];
    try {
      members = await deps.directory.groupMembers(group);
    } catch {
      return GROUP_UNREADABLE;
    }
    if (members.includes(actor.userId)) return undefined;
  }
  if (direct.size === 0 && !group) {
    return 'No approvers are configured (SLACK_APPROVER_USER_IDS, SLACK_APPROVER_GROUP_ID or the account\'s "approvers").';
  }
  return `You are not an approver for account ${account?.alias ?? request.accountId}.`;
}

/** A joiner who joined before the decision (one who joins an approved request later did not ask the approver). */
function joinedBeforeDecision(request: ActivationRequest, userId: string): boolean {
  return request.joiners.some((j) => j.userId === userId && (!request.decidedAt || j.at <= request.decidedAt));
}

/**
 * Within one Enterprise Grid organisation, the same workspace: the installation's, or for an org-wide install (whose
 * auth.test names no `T…` workspace) the request's own. Outside Grid, sameOrganisation has compared workspaces already.
 */
function sameWorkspace(home: Installation, actor: SlackActor, request: ActivationRequest): boolean {
  if (!home.enterpriseId || !actor.enterpriseId) return true;
  const workspace = home.teamId?.startsWith('T') ? home.teamId : request.requester.teamId;
  return workspace !== undefined && actor.teamId === workspace;
}

/** Same Enterprise Grid organisation (`E…`), or the same workspace (`T…`). */
function sameOrganisation(home: Installation, actor: SlackActor): boolean {
  if (home.enterpriseId && actor.enterpriseId) return home.enterpriseId === actor.enterpriseId;
  if (home.teamId && actor.teamId) return home.teamId === actor.teamId;
  return !home.teamId && !home.enterpriseId;
}

/** Whether the user approves anything at all (`/bedrock requests` shows approvers every open request). */
export async function isApprover(
  deps: Pick<ApproverCheckDeps, 'settings' | 'directory'>,
  accounts: readonly Account[],
  userId: string,
): Promise<boolean> {
  if (deps.settings.approverUserIds.includes(userId)) return true;
  if (accounts.some((a) => a.approvers?.includes(userId))) return true;
  const group = deps.settings.approverGroupId;
  if (!group) return false;
  return (await deps.directory.groupMembers(group).catch(() => [] as string[])).includes(userId);
}
