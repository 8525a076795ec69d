// Registers Block Kit button listeners.
import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../action-ids.js';
import type { ListenerDeps } from '../listener-deps.js';
import { approveAction, cancelRequestAction, rejectAction } from './approval-buttons.js';
import { checkStatusAction, requestActivationAction } from './model-buttons.js';
import { notWhatHappenedAction } from './not-what-happened.js';

export function registerActions(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(ACTION.checkStatus, checkStatusAction(deps));
  app.action<BlockButtonAction>(ACTION.requestActivation, requestActivationAction(deps));
  app.action<BlockButtonAction>(ACTION.approve, approveAction(deps));
  app.action<BlockButtonAction>(ACTION.reject, rejectAction(deps));
  app.action<BlockButtonAction>(ACTION.cancelRequest, cancelRequestAction(deps));
  app.action<BlockButtonAction>(ACTION.notWhatHappened, notWhatHappenedAction(deps));
}
