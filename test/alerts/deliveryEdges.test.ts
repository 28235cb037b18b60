import { describe, expect, it } from 'vitest';
import { afterAttempt, DELIVERY_WINDOW_MS } from '../../core/alerts/deliveryState.js';
import { AlertDestinationsError, parseAlertDestinations } from '../../core/alerts/destinations.js';
import { parseRetryAfter } from '../../core/alerts/httpSend.js';
import { at, T0 } from './alertFixtures.js';

function problemsOf(destinations: unknown[]): string[] {
  try {
    parseAlertDestinations(JSON.stringify(destinations));
    return [];
  } catch (error) {
    if (error instanceof AlertDestinationsError) return error.problems;
    throw error;
  }
}

describe('Retry-After edges', () => {
  it('a negative, signed or fractional value is ignored, so the exponential back-off applies', () => {
    for (const value of ['-1', '+5', '1.5', '-0', ' -30 ', '1e3', '0x10', '2001-01-01']) {
      expect({ value, parsed: parseRetryAfter(value, at(0)) }).toEqual({ value, parsed: null });
    }
    const transient = { kind: 'transient' as const, status: 429, error: 'HTTP 429', retryAfterSeconds: parseRetryAfter('-1', at(0)) };
    expect(afterAttempt({ state: 'pending', attempts: 0 }, transient, 'webhook', at(0), T0 + DELIVERY_WINDOW_MS).nextAttemptAt).toBe(at(30).toISOString());
  });

  it('the HTTP-date form and delta-seconds still count', () => {
    expect(parseRetryAfter('2001', at(0))).toBe(2001);
    expect(parseRetryAfter(at(90).toUTCString(), at(0))).toBe(90);
  });
});

describe('destination URLs', () => {
  it('link-local, metadata and unique-local addresses are refused', () => {
    const urls = [
      'https://169.254.169.254/metadata/instance',
      'https://169.254.1.2/hook',
      'https://[fd00::1]/hook',
      'https://[fd12:3456::1]/hook',
      'https://[fc00::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:169.254.169.254]/hook',
      'https://metadata.azure.com/hook',
      'https://168.63.129.16/hook',
    ];
    for (const url of urls) {
      expect({ url, problems: problemsOf([{ name: 'a', type: 'teams', url }]) }).toEqual({
        url,
        problems: ['ALERT_DESTINATIONS[0].url: must not point at a link-local, metadata or unique-local address'],
      });
    }
    expect(problemsOf([{ name: 'a', type: 'teams', url: 'https://hooks.example.com/x' }])).toEqual([]);
  });
});

describe('problem messages', () => {
  it('never quote an unknown field name that could be a pasted secret', () => {
    const secretAsKey = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const text = problemsOf([{ name: 'a', type: 'teams', url: 'https://hooks.example.com/x', [secretAsKey]: true }]).join('\n');
    expect(text).toBe('ALERT_DESTINATIONS[0]: unknown field (a name not shown: it could be a secret)');
    expect(text).not.toContain('MfKQ9r8');
  });
});
