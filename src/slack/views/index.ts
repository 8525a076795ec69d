// Registers modal submissions.
import type { App } from '@slack/bolt';
import { VIEW } from '../action-ids.js';
import type { ListenerDeps } from '../listener-deps.js';
import { rejectSubmitted, requestSubmitted } from './request-views.js';

export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(VIEW.requestModal, requestSubmitted(deps));
  app.view(VIEW.rejectModal, rejectSubmitted(deps));
}
