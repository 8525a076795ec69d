// Slack sends message and command text in its own markup: `&lt;` for `<`, `<https://x|label>` for links,
// `<@U123>` for mentions, and users paste errors inside ``` fences. Undo that before diagnosis.

/** The text a person typed, as close as Slack lets us see it. */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>]+)\|([^>]*)>/g, '$2')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/```/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** Removes mentions of the bot (`<@U0BOT>` or `<@U0BOT|name>`) so they are not read as part of an error. */
export function withoutMentionOf(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  return text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), '').trim();
}
