// The demos' readable transcript: every message the bot posts, updates or answers with, as plain text a terminal
// shows (mentions as names, links as "label (url)", buttons as [ label ]), read from the fake Slack API's records.
import type { FakeSlackApi, RecordedCall, RecordedResponse } from '../support/slack/fake-slack-api.js';
import { buttonsOf, visibleText } from '../support/slack/slack-assertions.js';

export interface TranscriptOptions {
  slackApi: FakeSlackApi;
  /** Slack user id → how the transcript names them. */
  names: Record<string, string>;
  /** Channel id → how the transcript names it. */
  channels: Record<string, string>;
  /** The channel of the approval card (its updates print only the lines that changed). */
  cardChannel: string;
  /** Who sees modals and ephemeral replies in this story, e.g. `@dana`. */
  viewer: string;
  /** Where the lines go. @default console.log */
  write?: (line: string) => void;
  /** @default Date.now */
  now?: () => number;
}

type Message = { blocks?: unknown; text?: unknown };

export interface Transcript {
  /** A message under a title, only the lines `only` keeps, at most `max` of them. */
  show(title: string, message: Message, only?: (line: string) => boolean, max?: number): void;
  /** What a person does next. */
  say(line: string): void;
  /** Prints every Slack call and response_url post not printed yet. */
  printNew(): void;
  /** The message's lines as the transcript prints them. */
  linesOf(message: Message): string[];
  write(line: string): void;
}

/** Slack mrkdwn as a terminal shows it: mentions as names, links as "label (url)", entities decoded. */
function plainText(text: string, names: Record<string, string>): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => names[id] ?? `@${id}`)
    .replace(/<!subteam\^[A-Z0-9]+>/g, '@approvers')
    .replace(/<(https:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

type View = {
  title: { text: string };
  blocks: Array<{ label?: { text: string }; element?: { initial_value?: string; initial_option?: { value: string } } }>;
};

function viewOf(call: RecordedCall): View {
  return (typeof call.args.view === 'string' ? JSON.parse(call.args.view) : call.args.view) as View;
}

const viewTitle = (call: RecordedCall) => viewOf(call).title.text;

/** A modal's fields as "label: prefilled value". */
function viewFields(call: RecordedCall): string {
  return viewOf(call)
    .blocks.filter((b) => b.label)
    .map((b) => `${b.label?.text}: ${b.element?.initial_value ?? b.element?.initial_option?.value ?? '(to fill in)'}`)
    .join('\n');
}

export function createTranscript(options: TranscriptOptions): Transcript {
  const write = options.write ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const started = now();
  const { names, channels, slackApi } = options;

  const plain = (text: string) => plainText(text, names);

  /** The lines a reader sees, buttons apart (shown as [ label ] underneath). */
  const linesOf = (message: Message): string[] => {
    const blocks = Array.isArray(message.blocks) ? (message.blocks as Array<{ type: string }>) : [];
    const text = visibleText({ blocks: blocks.filter((b) => b.type !== 'actions') }) || String(message.text ?? '');
    return plain(text).split('\n');
  };

  const show = (title: string, message: Message, only?: (line: string) => boolean, max = 40) => {
    const seconds = ((now() - started) / 1000).toFixed(1).padStart(5);
    const lines = linesOf(message).filter((l) => !only || only(l));
    const buttons = buttonsOf(message).map((b) => {
      const label = (b as { text?: { text?: string } }).text?.text ?? b.action_id;
      return `[ ${label} ]`;
    });
    write(`\n${seconds}s ── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);
    for (const line of lines.slice(0, max)) write(`  │ ${line}`);
    if (lines.length > max) write(`  │ … ${lines.length - max} more lines`);
    if (buttons.length > 0) write(`  │ ${buttons.join('  ')}`);
  };

  /** What the approval card showed last: an update prints only the lines that changed. */
  let cardLines: string[] = [];
  const seenCalls = new Set<RecordedCall>();
  const seenResponses = new Set<RecordedResponse>();
  const printCall = (call: RecordedCall) => {
    const where = channels[String(call.args.channel)] ?? String(call.args.channel);
    if (call.method === 'chat.postMessage') {
      show(`${call.args.thread_ts ? 'thread reply in' : 'bot posts in'} ${where}`, call.args);
      if (call.args.channel === options.cardChannel) cardLines = linesOf(call.args);
    }
    if (call.method === 'chat.update') {
      const before = new Set(cardLines);
      cardLines = linesOf(call.args);
      show(`bot updates its card in ${where} (changed lines)`, call.args, (line) => !before.has(line));
    }
    if (call.method === 'views.open')
      show(`modal opens for ${options.viewer}: "${viewTitle(call)}"`, { text: viewFields(call) });
  };

  return {
    show,
    say: (line) => write(`\n>>> ${line}`),
    linesOf,
    write,
    printNew() {
      for (const call of slackApi.calls) {
        if (seenCalls.has(call)) continue;
        seenCalls.add(call);
        printCall(call);
      }
      for (const response of slackApi.responses) {
        if (seenResponses.has(response)) continue;
        seenResponses.add(response);
        show(`reply only ${options.viewer} sees`, response.body);
      }
    },
  };
}
