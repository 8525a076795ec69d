// How the expiry is said on the card and to a clicker: as people set REQUEST_EXPIRE_AFTER_HOURS, never "0 minutes".
import { describe, expect, it } from 'vitest';
import { describeExpiry } from '../../src/access/request-expiry.js';

describe('describeExpiry', () => {
  it('says the setting in the unit a person would use', () => {
    expect(describeExpiry(0.01 * 3_600_000)).toBe('36 seconds');
    expect(describeExpiry(1000)).toBe('1 second');
    expect(describeExpiry(0.5 * 3_600_000)).toBe('30 minutes');
    expect(describeExpiry(3_600_000)).toBe('1 hour');
    expect(describeExpiry(2.5 * 3_600_000)).toBe('2.5 hours');
    expect(describeExpiry(72 * 3_600_000)).toBe('72 hours');
  });
});
