// The Slack side of "Not what happened?": a card answering a paste offers the button, and the paste is held in the
// store under the button's id for HOLD_MINUTES. The hold is written after the card has gone out (redaction included),
// so it never delays the answer; if it fails, the button says the paste is gone rather than the answer failing.
import { diagnosedAs, HOLD_MINUTES, type MissStore, pasteToHold } from '../access/diagnosis-misses.js';
import type { Diagnosis } from '../diagnosis/types.js';
import type { Logger } from '../log.js';
import type { MissOffer } from './blocks/diagnosis-card.js';

export interface MissDeps {
  store: MissStore;
  /** MISSES_TTL_DAYS: how long a paste its author kept stays. */
  keepDays: number;
  /** @default a random UUID */
  newId: () => string;
}

export interface PasteHold {
  offer: MissOffer;
  /** Writes the hold; never throws (a failure is logged). */
  hold(): Promise<void>;
}

/** The offer to put on the card and the write that backs it, or undefined where misses are not kept. */
export function holdPaste(
  misses: MissDeps | undefined,
  input: {
    pasted: string;
    diagnosis: Diagnosis;
    userId: string;
    teamId?: string | undefined;
    log: Logger;
    /** Added to the log line of a failed hold (the interaction's reference and the like). */
    fields?: Record<string, unknown>;
  },
): PasteHold | undefined {
  if (!misses) return undefined;
  const id = misses.newId();
  return {
    offer: { heldPasteId: id, holdMinutes: HOLD_MINUTES, keepDays: misses.keepDays },
    async hold() {
      try {
        await misses.store.hold(
          {
            id,
            userId: input.userId,
            ...(input.teamId ? { teamId: input.teamId } : {}),
            text: pasteToHold(input.pasted),
            diagnosed: diagnosedAs(input.diagnosis),
          },
          HOLD_MINUTES * 60,
        );
      } catch (err) {
        input.log.warn('could not hold the paste for "Not what happened?"', { ...input.fields, err });
      }
    },
  };
}
