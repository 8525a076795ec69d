// Request authenticity at the real Bolt receiver: anything not signed by Slack within 5 minutes gets 401 and never
// reaches a listener. Listeners are observed through the diagnose/checkStatus spies and the fake Slack's records.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createApp, createReferenceMaker, SlackSetupError } from '../../src/slack/create-app.js';
import { createMemoryDeliveryLedger } from '../../src/slack/delivery-ledger.js';
import { aDiagnosis, aStatusReport } from '../support/slack/fixtures.js';
import {
  eventEnvelope,
  sign,
  signature,
  signEvent,
  signSlashCommand,
  slashCommandBody,
} from '../support/slack/signer.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../support/slack/slack-harness.js';

const PASTE = 'why AccessDeniedException SECRET-PASTE-MARKER';
let listenerRuns = 0;
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    diagnose: () => {
      listenerRuns += 1;
      return aDiagnosis();
    },
    checkStatus: async () => aStatusReport('READY'),
  });
});
afterAll(() => h.stop());
beforeEach(() => {
  listenerRuns = 0;
  h.logs.length = 0;
});

const now = () => Math.floor(Date.now() / 1000);
const FORM = 'application/x-www-form-urlencoded';

function commandBody() {
  return slashCommandBody({ text: PASTE, response_url: h.slackApi.responseUrl('sec') });
}

async function expectRejected(headers: Record<string, string>, body: string, status = 401) {
  const res = await fetch(h.url, { method: 'POST', headers, body });
  await h.settle();
  expect(res.status).toBe(status);
  expect(listenerRuns).toBe(0);
  expect(h.slackApi.responsesTo('sec')).toEqual([]);
}

describe('signature verification', () => {
  it('accepts a correctly signed command (control case)', async () => {
    const res = await h.send(
      signSlashCommand(SIGNING_SECRET, { text: PASTE, response_url: h.slackApi.responseUrl('ok') }),
    );
    expect(res.status).toBe(200);
    expect(listenerRuns).toBe(1);
  });

  it('rejects a request without X-Slack-Signature', async () => {
    const body = commandBody();
    await expectRejected({ 'content-type': FORM, 'x-slack-request-timestamp': String(now()) }, body);
  });

  it('rejects a request without X-Slack-Request-Timestamp', async () => {
    const body = commandBody();
    await expectRejected({ 'content-type': FORM, 'x-slack-signature': signature(SIGNING_SECRET, now(), body) }, body);
  });

  it('rejects a signature made with another secret and logs no part of the body', async () => {
    const signed = sign('not-the-secret', commandBody(), FORM);
    await expectRejected(signed.headers, signed.body);
    expect(JSON.stringify(h.logs)).not.toContain('SECRET-PASTE-MARKER');
  });

  it('rejects a signature of the wrong length (v0=abc) with 401, not 500', async () => {
    const signed = sign(SIGNING_SECRET, commandBody(), FORM);
    await expectRejected({ ...signed.headers, 'x-slack-signature': 'v0=abc' }, signed.body);
  });

  it('rejects a v1= prefix even with the right hash', async () => {
    const signed = sign(SIGNING_SECRET, commandBody(), FORM);
    const v1 = signed.headers['x-slack-signature']?.replace(/^v0=/, 'v1=') ?? '';
    await expectRejected({ ...signed.headers, 'x-slack-signature': v1 }, signed.body);
  });

  it.each(['abc', '1e10', ''])('rejects the non-numeric timestamp %j', async (ts) => {
    const body = commandBody();
    await expectRejected(
      {
        'content-type': FORM,
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature(SIGNING_SECRET, ts, body),
      },
      body,
    );
  });

  it('rejects a correctly signed request whose timestamp is 301 seconds old', async () => {
    const signed = sign(SIGNING_SECRET, commandBody(), FORM, now() - 301);
    await expectRejected(signed.headers, signed.body);
  });

  it('rejects an unsigned malformed JSON body with 401, not 5xx', async () => {
    await expectRejected({ 'content-type': 'application/json' }, '{"type":"event_callback",');
  });

  it('rejects a body over 1 MiB with 413 before doing any work', async () => {
    const signed = signEvent(
      SIGNING_SECRET,
      eventEnvelope({ event: { type: 'message', text: 'x'.repeat(1_100_000) } }),
    );
    await expectRejected(signed.headers, signed.body, 413);
  });

  it('verifies headers whatever their case', async () => {
    // Prepare: node's fetch lowercases header names, so send raw bytes.
    const signed = signSlashCommand(SIGNING_SECRET, { text: PASTE, response_url: h.slackApi.responseUrl('case') });
    const url = new URL(h.url);

    // Act
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'Content-Type': FORM,
            'X-SLACK-SIGNATURE': signed.headers['x-slack-signature'] ?? '',
            'X-Slack-Request-Timestamp': signed.headers['x-slack-request-timestamp'] ?? '',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(signed.body);
    });

    // Assess
    expect(status).toBe(200);
    expect(listenerRuns).toBe(1);
  });
});

describe('start-up', () => {
  const base = {
    diagnose: () => aDiagnosis(),
    checkStatus: async () => aStatusReport('READY'),
    deliveries: createMemoryDeliveryLedger(),
    logger: silentLogger,
    defaultRegion: 'us-east-1',
  };

  it('refuses to build the HTTP app with an empty signing secret', () => {
    expect(() =>
      createApp({ ...base, slack: { botToken: 'xoxb-1', signingSecret: '', apiUrl: h.slackApi.apiUrl } }),
    ).toThrow(SlackSetupError);
  });

  it('rejects init() with a clear error when Slack refuses the token, instead of crashing later', async () => {
    // Prepare
    h.slackApi.failNext('auth.test', { error: 'invalid_auth' }, 5);
    const slack = createApp({
      ...base,
      slack: { botToken: 'xoxb-bad', signingSecret: 's', apiUrl: h.slackApi.apiUrl },
    });

    // Act + Assess
    await expect(slack.init()).rejects.toThrow('Slack did not accept SLACK_BOT_TOKEN (invalid_auth)');
    h.slackApi.reset();
  });

  it('refuses to build the app without a bot token', () => {
    expect(() =>
      createApp({ ...base, slack: { botToken: '', signingSecret: 's', apiUrl: h.slackApi.apiUrl } }),
    ).toThrow(/SLACK_BOT_TOKEN/);
  });
});

describe('workspace restriction (SLACK_TEAM_ID)', () => {
  it('turns away commands and events from another workspace, and serves its own', async () => {
    // Prepare
    let runs = 0;
    const own = await startSlackHarness({
      diagnose: () => {
        runs += 1;
        return aDiagnosis();
      },
      checkStatus: async () => aStatusReport('READY'),
      teamId: 'T0TEAM0001',
    });
    try {
      // Act
      const foreign = await own.send(
        signSlashCommand(SIGNING_SECRET, {
          text: PASTE,
          team_id: 'T0OTHER001',
          response_url: own.slackApi.responseUrl(),
        }),
      );
      await own.send(
        signEvent(
          SIGNING_SECRET,
          eventEnvelope({
            team_id: 'T0OTHER001',
            event: { type: 'message', channel_type: 'im', channel: 'D0X', user: 'U0X', ts: '1.1', text: 'x' },
          }),
        ),
      );
      await own.settle();
      const ours = await own.send(
        signSlashCommand(SIGNING_SECRET, { text: PASTE, response_url: own.slackApi.responseUrl() }),
      );

      // Assess
      expect(JSON.parse(foreign.text)).toMatchObject({ text: 'Sorry, this app only serves its own workspace.' });
      expect(own.slackApi.callsTo('chat.postMessage')).toEqual([]);
      expect(ours.status).toBe(200);
      expect(runs).toBe(1);
    } finally {
      await own.stop();
    }
  });
});

describe('createReferenceMaker', () => {
  it('makes distinct 8-character references', () => {
    const next = createReferenceMaker();
    const refs = new Set(Array.from({ length: 10_000 }, () => next()));
    expect(refs.size).toBe(10_000);
    for (const r of refs) expect(r).toMatch(/^[0-9a-z]{8}$/);
  });
});

describe('processBeforeResponse (the FaaS mode)', () => {
  it('still acks /bedrock status with "checking" and delivers the card from the background job', async () => {
    // Prepare
    const faas = await startSlackHarness({
      diagnose: () => aDiagnosis(),
      checkStatus: async () => aStatusReport('READY'),
      processBeforeResponse: true,
    });
    try {
      // Act
      const res = await faas.send(
        signSlashCommand(SIGNING_SECRET, {
          text: 'status amazon.nova-pro-v1:0',
          response_url: faas.slackApi.responseUrl('faas'),
        }),
      );
      await faas.settle();

      // Assess
      expect(res.status).toBe(200);
      expect(res.text).toContain('Checking');
      expect(JSON.stringify(faas.slackApi.responsesTo('faas')[0]?.body)).toContain('Verdict READY');
    } finally {
      await faas.stop();
    }
  });
});
