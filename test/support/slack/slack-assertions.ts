// Reads what Slack would show from recorded messages.
import type { KnownBlock } from '@slack/types';
import { LIMITS } from '../../../src/slack/blocks/message.js';

/** All text a reader would see in a message's blocks, in order. */
export function visibleText(message: { blocks?: unknown; text?: unknown }): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v);
    }
  };
  walk(message.blocks);
  return parts.join('\n');
}

/**
 * Only the text Slack formats (mrkdwn text objects: section text and fields, context elements): where markup, emoji
 * codes and line breaks take effect. User text must never appear here.
 */
export function mrkdwnText(message: { blocks?: unknown }): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') parts.push(o.text);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(message.blocks);
  return parts.join('\n');
}

/** The plain_text objects of a message that show no emoji (how the bot shows what people typed). */
export function userTexts(message: { blocks?: unknown }): string[] {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'plain_text' && o.emoji === false && typeof o.text === 'string') parts.push(o.text);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(message.blocks);
  return parts;
}

export function buttonsOf(message: { blocks?: unknown }): Array<{ action_id: string; value?: string }> {
  const blocks = (message.blocks ?? []) as KnownBlock[];
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.type === 'actions' ? b.elements : []))
    .map((e) => e as { action_id: string; value?: string });
}

/** Every Slack limit the builders promise, as a list of violations (empty when the message is fine). */
export function limitViolations(message: { text: string; blocks: KnownBlock[] }): string[] {
  const problems: string[] = [];
  if (!message.text) problems.push('no fallback text');
  if (message.blocks.length > LIMITS.blocksPerMessage) problems.push(`${message.blocks.length} blocks`);
  const json = JSON.stringify(message.blocks).length;
  if (json > LIMITS.blocksJson) problems.push(`blocks JSON ${json} chars`);
  for (const b of message.blocks) {
    if (b.type === 'section') {
      if (b.text && b.text.text.length > LIMITS.sectionText) problems.push(`section text ${b.text.text.length}`);
      if ((b.fields?.length ?? 0) > LIMITS.sectionFields) problems.push('too many fields');
    }
    if (b.type === 'header' && b.text.text.length > LIMITS.headerText) problems.push(`header ${b.text.text.length}`);
    if (b.type === 'context' && b.elements.length > LIMITS.contextElements) problems.push('context elements');
    if (b.type === 'actions') {
      for (const e of b.elements) {
        const el = e as { action_id?: string; value?: string };
        if ((el.action_id?.length ?? 0) > LIMITS.actionId) problems.push('action_id too long');
        if ((el.value?.length ?? 0) > LIMITS.buttonValue) problems.push('button value too long');
      }
    }
  }
  return problems;
}

/** Raw `<!…>`, `<@…>` or `<http…>` sequences: markup that would ping or link. */
export function liveMarkup(text: string): string[] {
  return text.match(/<[!@#][^>]*>|<https?:[^>]*>/g) ?? [];
}
