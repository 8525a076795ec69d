import { describe, expect, it } from 'vitest';
import { labelledFacts } from '../../src/diagnosis/fact-labels.js';

describe('labelledFacts', () => {
  it('labels the facts the text showed in show order, leaving out absent facts and empty lists', () => {
    const shown = labelledFacts({
      region: 'us-east-1',
      actions: [],
      exception: 'AccessDeniedException',
      principalArn: 'arn:aws:iam::123456789012:role/app',
      retryAfterMinutes: 5,
    });
    expect(shown).toEqual([
      { label: 'Error', value: 'AccessDeniedException' },
      { label: 'Region', value: 'us-east-1' },
      { label: 'Caller', value: 'arn:aws:iam::123456789012:role/app' },
      { label: 'Retry after (minutes)', value: 5 },
    ]);
  });

  it('keeps a list fact as a list', () => {
    expect(labelledFacts({ actions: ['bedrock:InvokeModel', 'aws-marketplace:Subscribe'] })).toEqual([
      { label: 'IAM actions', value: ['bedrock:InvokeModel', 'aws-marketplace:Subscribe'] },
    ]);
  });
});
