// Buttons shared by the diagnosis and status cards.
import type { Button } from '@slack/types';
import { ACTION, MODEL_REF_PATTERN, type ModelButtonValue } from '../action-ids.js';
import { LIMITS } from './message.js';

function modelButton(actionId: string, label: string, value: ModelButtonValue, primary: boolean): Button | undefined {
  // A model reference the listener would refuse gets no button rather than a button that cannot work.
  if (!MODEL_REF_PATTERN.test(value.m)) return undefined;
  const json = JSON.stringify({ m: value.m, ...(value.r ? { r: value.r } : {}), ...(value.a ? { a: value.a } : {}) });
  if (json.length > LIMITS.buttonValue) return undefined;
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

/** On every diagnosis card: keeps the held paste and what the bot said, so the miss can be labelled and fixed. */
export function notWhatHappenedButton(heldPasteId: string): Button {
  return {
    type: 'button',
    action_id: ACTION.notWhatHappened,
    text: { type: 'plain_text', text: 'Not what happened?', emoji: true },
    value: heldPasteId,
  };
}
