// The paste a "Not what happened?" press keeps goes through the one redaction the logs use (src/redact.ts).
import { describe, expect, it } from 'vitest';
import { pasteToHold } from '../../src/access/diagnosis-misses.js';

describe('pasteToHold', () => {
  it('keeps no secret key or session token written after its label, nor an access key id or Slack token', () => {
    // Prepare
    const pasted =
      'botocore AccessDeniedException … aws_access_key_id=AKIAIOSFODNN7EXAMPLE ' +
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' +
      'aws_session_token=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampleToken ' +
      '"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" token xoxb-1234-5678-abcdefghij';

    // Act
    const held = pasteToHold(pasted);

    // Assess
    expect(held).toContain('botocore AccessDeniedException');
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'IQoJb3JpZ2luX2VjEJr', 'xoxb-1234']) {
      expect(held).not.toContain(secret);
    }
    expect(held.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });
});
