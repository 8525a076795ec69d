// Fair-share and key-rotation settings: defaults a platform team can live with, and errors naming the variable.
import { describe, expect, it } from 'vitest';
import { settingsFromContext } from '../infra/lib/context-settings.js';
import { ConfigError, loadConfig } from '../src/config.js';

describe('fair-share settings', () => {
  it('defaults to 10 status checks a minute each, a 30 s status cache, a 30 min cool-down and 5 requests an hour', () => {
    const config = loadConfig({});
    expect(config.limits).toEqual({ statusChecksPerMinute: 10, statusCacheMs: 30_000 });
    expect(config.approval).toMatchObject({ requestCooldownMs: 30 * 60_000, requestsPerUserPerHour: 5 });
  });

  it('reads them from CDK context keys of the same names', () => {
    const context: Record<string, unknown> = {
      statusChecksPerMinute: 3,
      statusCacheSeconds: '0',
      requestCooldownMinutes: 10,
      requestsPerUserPerHour: '2',
    };
    const config = loadConfig(settingsFromContext((key) => context[key]));
    expect(config.limits).toEqual({ statusChecksPerMinute: 3, statusCacheMs: 0 });
    expect(config.approval).toMatchObject({ requestCooldownMs: 10 * 60_000, requestsPerUserPerHour: 2 });
  });

  it('refuses a share of zero, naming the variable', () => {
    expect(() => loadConfig({ STATUS_CHECKS_PER_MINUTE: '0' })).toThrow(
      /STATUS_CHECKS_PER_MINUTE: expected a whole number of checks between 1 and 10000/,
    );
  });
});

describe('signing-secret rotation settings', () => {
  it('takes the previous secret with the time of the rotation', () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: 'new-secret',
      SLACK_PREVIOUS_SIGNING_SECRET: 'old-secret',
      SLACK_SIGNING_SECRET_ROTATED_AT: '2026-03-02T09:00:00Z',
    });
    expect(config.slack.previousSigningSecret).toEqual({
      secret: 'old-secret',
      rotatedAt: Date.parse('2026-03-02T09:00:00Z'),
    });
  });

  it('refuses one without the other, and a time that is not ISO 8601, without echoing the secret', () => {
    let error: unknown;
    try {
      loadConfig({ SLACK_PREVIOUS_SIGNING_SECRET: 'old-secret-value' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toContain('SLACK_PREVIOUS_SIGNING_SECRET and SLACK_SIGNING_SECRET_ROTATED_AT: expected both');
    expect(String(error)).not.toContain('old-secret-value');
    expect(() =>
      loadConfig({ SLACK_PREVIOUS_SIGNING_SECRET: 'old', SLACK_SIGNING_SECRET_ROTATED_AT: 'last tuesday' }),
    ).toThrow(/SLACK_SIGNING_SECRET_ROTATED_AT: expected an ISO 8601 time/);
  });
});
