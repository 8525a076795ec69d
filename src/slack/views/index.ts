// Registers modal submissions and the request modal's account menu.
import type { App } from '@slack/bolt';
import { VIEW } from '../action-ids.js';
import { REQUEST_BLOCKS } from '../blocks/request-modal.js';
import type { ListenerDeps } from '../listener-deps.js';
import { accountOptions } from './account-options.js';
import { rejectSubmitted, requestSubmitted } from './request-views.js';

export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(VIEW.requestModal, requestSubmitted(deps));
  app.view(VIEW.rejectModal, rejectSubmitted(deps));
  app.options<'block_suggestion'>({ type: 'block_suggestion', block_id: REQUEST_BLOCKS.account }, accountOptions(deps));
}
