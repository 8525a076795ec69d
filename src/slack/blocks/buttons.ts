// Buttons shared by the diagnosis and status cards.
import type { Button } from '@slack/types';
import { ACTION, type ModelButtonValue } from '../action-ids.js';
import { LIMITS } from './message.js';

function modelButton(actionId: string, label: string, value: ModelButtonValue, primary: boolean): Button | undefined {
  const json = JSON.stringify(value.r ? { m: value.m, r: value.r } : { m: value.m });
  if (json.length > LIMITS.buttonValue || value.m.length > 1000) return undefined;
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value: json,
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

export function checkStatusButton(value: ModelButtonValue): Button | undefined {
  return modelButton(ACTION.checkStatus, 'Check status', value, false);
}

export function requestActivationButton(value: ModelButtonValue): Button | undefined {
  return modelButton(ACTION.requestActivation, 'Request activation', value, true);
}
