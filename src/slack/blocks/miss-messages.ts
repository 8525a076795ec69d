// What the person who pressed "Not what happened?" is told (an ephemeral reply; the card itself stays as it was).
import type { KeepOutcome } from '../../access/diagnosis-misses.js';
import type { SlackMessage } from './message.js';

function plain(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function missOutcomeMessage(outcome: KeepOutcome, keepDays: number): SlackMessage {
  if (outcome.kept) {
    return plain(
      `:pray: Thank you. I kept this paste (tokens and keys removed) with my answer for ${keepDays} ` +
        `day${keepDays === 1 ? '' : 's'}, so whoever looks after the bot can label it and teach me this one.`,
    );
  }
  switch (outcome.reason) {
    case 'already_kept':
      return plain('Already noted, thank you: this paste is kept with my answer.');
    case 'not_yours':
      return plain('Only the person who pasted this error can keep it. Paste it yourself to get your own answer.');
    case 'gone':
      return plain(
        'Sorry, this paste is no longer held (nothing is kept past the short window unless you press in time). ' +
          'Paste the error again and press *Not what happened?* on the new answer.',
      );
  }
}
