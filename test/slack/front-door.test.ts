// Issue 9, the HTTP front door: signed requests that are malformed, from the future, of the wrong content type or
// matching no listener are answered at once with the right status, no listener runs, and the app keeps serving.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkSlackRequest } from '../../src/slack/front-door.js';
import { aDiagnosis, aStatusReport } from '../support/slack/fixtures.js';
import {
  buttonPayload,
  eventEnvelope,
  sign,
  signEvent,
  signInteraction,
  signSlashCommand,
  slashCommandBody,
} from '../support/slack/signer.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../support/slack/slack-harness.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
let runs = 0;
let failNext = false;
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness({
    diagnose: () => {
      runs += 1;
      return aDiagnosis();
    },
    checkStatus: async () => aStatusReport('READY'),
    failProcessing: () => {
      const fail = failNext;
      failNext = false;
      return fail;
    },
  });
});
afterAll(() => h.stop());
beforeEach(() => {
  runs = 0;
  h.slackApi.reset();
});

const now = () => Math.floor(Date.now() / 1000);

/** After every hostile request: a normal command is still answered. */
async function expectStillServing() {
  const ok = await h.send(
    signSlashCommand(SIGNING_SECRET, { text: 'why AccessDenied', response_url: h.slackApi.responseUrl() }),
  );
  expect(ok.status).toBe(200);
  expect(runs).toBe(1);
  runs = 0;
}

describe('malformed bodies, correctly signed', () => {
  it.each([
    ['payload=null (form)', 'payload=null', FORM],
    ['payload={} (form)', 'payload=%7B%7D', FORM],
    ['payload that is not JSON', 'payload=%7Bnot-json', FORM],
    ['two payloads', 'payload=%7B%22type%22%3A%22block_actions%22%7D&payload=%7B%7D', FORM],
    ['form garbage', 'hello=world&x=1', FORM],
    ['broken percent-encoding', 'payload=%E0%A4%A', FORM],
    ['JSON null', 'null', JSON_TYPE],
    ['a JSON array', '[1,2,3]', JSON_TYPE],
    ['a JSON object without a type', '{"hello":"world"}', JSON_TYPE],
    ['broken JSON', '{"type":"event_callback",', JSON_TYPE],
    ['an empty body', '', JSON_TYPE],
  ])('answers %s with 400 at once', async (_name, body, type) => {
    const res = await h.send(sign(SIGNING_SECRET, body, type));
    await h.settle();
    expect(res.status).toBe(400);
    expect(runs).toBe(0);
    await expectStillServing();
  });
});

describe('timestamps', () => {
  it('refuses a correctly signed request from 10 minutes in the future', async () => {
    const signed = signSlashCommand(
      SIGNING_SECRET,
      { text: 'why x', response_url: h.slackApi.responseUrl() },
      now() + 600,
    );
    const res = await h.send(signed);
    await h.settle();
    expect(res.status).toBe(401);
    expect(runs).toBe(0);
  });

  it('accepts a timestamp a little ahead of our clock (control: within 5 minutes)', async () => {
    const signed = signSlashCommand(
      SIGNING_SECRET,
      { text: 'why x', response_url: h.slackApi.responseUrl() },
      now() + 60,
    );
    expect((await h.send(signed)).status).toBe(200);
    expect(runs).toBe(1);
  });
});

describe('content type must match the kind of request', () => {
  it('refuses a signed Events API body sent as text/plain with 415', async () => {
    const envelope = eventEnvelope({
      event: { type: 'app_mention', user: 'U0USER0001', text: 'x', ts: '1.2', channel: 'C0CHAN0001' },
    });
    const res = await h.send(sign(SIGNING_SECRET, JSON.stringify(envelope), 'text/plain'));
    await h.settle();
    expect(res.status).toBe(415);
    expect(h.slackApi.calls).toEqual([]);
  });

  it('refuses a slash command sent as JSON with 415', async () => {
    const fields = Object.fromEntries(
      new URLSearchParams(slashCommandBody({ text: 'why x', response_url: h.slackApi.responseUrl() })),
    );
    const res = await h.send(sign(SIGNING_SECRET, JSON.stringify(fields), JSON_TYPE));
    expect(res.status).toBe(415);
    expect(runs).toBe(0);
  });

  it('refuses an Events API envelope sent form-encoded with 415', async () => {
    const envelope = eventEnvelope({
      event: { type: 'app_mention', user: 'U0USER0001', text: 'x', ts: '1.2', channel: 'C0CHAN0001' },
    });
    const res = await h.send(
      sign(SIGNING_SECRET, new URLSearchParams({ payload: JSON.stringify(envelope) }).toString(), FORM),
    );
    expect(res.status).toBe(415);
  });

  it('accepts the form content type with a charset parameter (control)', async () => {
    const signed = signSlashCommand(SIGNING_SECRET, { text: 'why x', response_url: h.slackApi.responseUrl() });
    const res = await h.send(signed, { 'content-type': `${FORM}; charset=utf-8` });
    expect(res.status).toBe(200);
    expect(runs).toBe(1);
  });
});

describe('signed bodies that match no listener', () => {
  it('acknowledges a button with an unknown action id at once (200, nothing posted)', async () => {
    const res = await h.send(
      signInteraction(SIGNING_SECRET, buttonPayload('someone_elses_button', 'v', h.slackApi.responseUrl('u'))),
    );
    await h.settle();
    expect(res.status).toBe(200);
    expect(h.slackApi.responsesTo('u')).toEqual([]);
  });

  it('acknowledges an interaction type the app does not serve (200)', async () => {
    const res = await h.send(
      signInteraction(SIGNING_SECRET, {
        type: 'message_action',
        callback_id: 'not_ours',
        trigger_id: '1.2.3',
        team: { id: 'T0TEAM0001', domain: 'example' },
        user: { id: 'U0USER0001', name: 'dana', team_id: 'T0TEAM0001' },
        channel: { id: 'C0CHAN0001', name: 'general' },
        message: { type: 'message', text: 'hi', ts: '1700000000.000100' },
        response_url: h.slackApi.responseUrl(),
      }),
    );
    expect(res.status).toBe(200);
  });

  it('acknowledges an Events API event nobody listens to (200)', async () => {
    const res = await h.send(
      signEvent(SIGNING_SECRET, eventEnvelope({ event: { type: 'reaction_added', user: 'U0USER0001' } })),
    );
    expect(res.status).toBe(200);
  });
});

describe('an uncaught error in the request path', () => {
  it('answers 500 and the app keeps serving', async () => {
    failNext = true;
    const res = await h.send(
      signSlashCommand(SIGNING_SECRET, { text: 'why x', response_url: h.slackApi.responseUrl() }),
    );
    expect(res.status).toBe(500);
    await expectStillServing();
  });
});

describe('checkSlackRequest (the transport-agnostic guard the Lambda handler reuses)', () => {
  const options = { signingSecret: SIGNING_SECRET, bodyLimitBytes: 1024 };
  const at = (signed: { headers: Record<string, string>; body: string }, nowMs = Date.now()) =>
    checkSlackRequest({ method: 'POST', headers: signed.headers, body: signed.body, now: nowMs }, options);

  it('passes a signed command and names its content type', () => {
    const verdict = at(signSlashCommand(SIGNING_SECRET, { text: 'help', response_url: 'https://x' }));
    expect(verdict).toMatchObject({ pass: true, contentType: FORM });
  });

  it('refuses a timestamp 301 s away in either direction, before looking at the body', () => {
    const t = now();
    const signed = sign(SIGNING_SECRET, 'not even parsed', FORM, t);
    expect(at(signed, (t + 301) * 1000)).toMatchObject({ pass: false, status: 401 });
    expect(at(signed, (t - 301) * 1000)).toMatchObject({ pass: false, status: 401 });
  });

  it('refuses a body over the limit with 413, other methods with 405', () => {
    expect(at(sign(SIGNING_SECRET, 'x'.repeat(1025), FORM))).toMatchObject({ pass: false, status: 413 });
    expect(checkSlackRequest({ method: 'GET', headers: {}, body: '', now: Date.now() }, options)).toMatchObject({
      pass: false,
      status: 405,
    });
  });

  it('reads header names in any case (a Lambda event need not lower-case them)', () => {
    const signed = signSlashCommand(SIGNING_SECRET, { text: 'help', response_url: 'https://x' });
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(at({ headers, body: signed.body })).toMatchObject({ pass: true });
  });

  it("lets Slack's unsigned ssl_check through (Bolt answers it) and refuses anything else unsigned", () => {
    const base = { method: 'POST', headers: { 'content-type': FORM }, now: Date.now() };
    expect(checkSlackRequest({ ...base, body: 'ssl_check=1&token=x' }, options)).toMatchObject({ pass: true });
    expect(checkSlackRequest({ ...base, body: 'command=%2Fbedrock' }, options)).toMatchObject({ status: 401 });
  });
});
