// The shape every builder returns: blocks plus the plain `text` fallback Slack shows in notifications.
import type { KnownBlock } from '@slack/types';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's documented Block Kit limits, and our own budget for a whole message. */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFieldText: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  actionId: 255,
  buttonValue: 2000,
  buttonText: 75,
  /** Fallback text is shown in notifications; keep it short. */
  fallbackText: 3000,
  /**
   * Total characters of a message's blocks JSON. Slack rejects long block payloads (`msg_blocks_too_long`,
   * bolt-js #2509) well before 50 full sections; 12 000 keeps us clear of it.
   */
  blocksJson: 12_000,
} as const;
