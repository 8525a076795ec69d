import { describe, expect, it } from 'vitest';
import { createResponseUrlPoster, ResponseUrlError } from '../../src/slack/response-url.js';

function fetchAnswering(...statuses: number[]) {
  const calls: Array<{ url: string; body: unknown }> = [];
  const fake = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    return new Response('x', { status: statuses.shift() ?? 200 });
  }) as typeof fetch;
  return { calls, fake };
}

describe('createResponseUrlPoster', () => {
  it('posts the message as JSON', async () => {
    const { calls, fake } = fetchAnswering(200);
    await createResponseUrlPoster({ fetch: fake })('https://hooks.slack.com/x', {
      text: 't',
      blocks: [],
      replace_original: true,
    });
    expect(calls).toEqual([
      { url: 'https://hooks.slack.com/x', body: { text: 't', blocks: [], replace_original: true } },
    ]);
  });

  it('retries once after a server error, then gives up with an error', async () => {
    const { calls, fake } = fetchAnswering(500, 503);
    await expect(
      createResponseUrlPoster({ fetch: fake })('https://hooks.slack.com/x', { text: 't', blocks: [] }),
    ).rejects.toBeInstanceOf(ResponseUrlError);
    expect(calls).toHaveLength(2);
  });

  it('does not retry a client error (expired or used-up response URL)', async () => {
    const { calls, fake } = fetchAnswering(404);
    await expect(
      createResponseUrlPoster({ fetch: fake })('https://hooks.slack.com/x', { text: 't', blocks: [] }),
    ).rejects.toThrow(/404/);
    expect(calls).toHaveLength(1);
  });

  it('refuses a non-http URL', async () => {
    const { calls, fake } = fetchAnswering();
    await expect(
      createResponseUrlPoster({ fetch: fake })('file:///etc/passwd', { text: 't', blocks: [] }),
    ).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});
