import { describe, expect, it } from 'vitest';
import { afterAttempt, backoffMs, DELIVERY_WINDOW_MS, settle, type DestinationDelivery } from '../../core/alerts/deliveryState.js';
import { parseRetryAfter } from '../../core/alerts/httpSend.js';
import type { OutboxRow } from '../../core/store/index.js';
import { at, T0 } from './alertFixtures.js';

const fresh: DestinationDelivery = { state: 'pending', attempts: 0 };
const deadline = T0 + DELIVERY_WINDOW_MS;
const transient = (retryAfterSeconds: number | null = null) => ({ kind: 'transient' as const, status: 503, error: 'HTTP 503', retryAfterSeconds });

describe('retries', () => {
  it('back off 30 s, doubling, capped at 1 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffMs(n) / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(afterAttempt(fresh, transient(), 'webhook', at(0), deadline)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: 503,
      lastError: 'HTTP 503',
      nextAttemptAt: at(30).toISOString(),
    });
  });

  it('honour Retry-After (seconds or an HTTP date) in place of the back-off', () => {
    expect(afterAttempt(fresh, transient(7), 'card', at(0), deadline).nextAttemptAt).toBe(at(7).toISOString());
    expect(parseRetryAfter('120', at(0))).toBe(120);
    expect(parseRetryAfter(at(90).toUTCString(), at(0))).toBe(90);
    expect(parseRetryAfter('soon', at(0))).toBeNull();
    expect(parseRetryAfter(null, at(0))).toBeNull();
  });

  it('never wait past 24 h after the evaluation; fail there', () => {
    const late = afterAttempt({ state: 'pending', attempts: 30 }, transient(), 'card', new Date(deadline - 10_000), deadline);
    expect(late).toMatchObject({ state: 'pending', nextAttemptAt: new Date(deadline).toISOString() });
    const last = afterAttempt(late, transient(), 'card', new Date(deadline), deadline);
    expect(last).toMatchObject({ state: 'failed', attempts: 32, lastError: 'HTTP 503 (gave up: still failing 24 h after the evaluation)' });
  });

  it('4xx other than 408 and 429 fail at once; success clears the error', () => {
    expect(afterAttempt(fresh, { kind: 'permanent', status: 404, error: 'HTTP 404' }, 'card', at(0), deadline)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'HTTP 404 (permanent)',
    });
    const retried = afterAttempt(fresh, transient(), 'card', at(0), deadline);
    const delivered = afterAttempt(retried, { kind: 'delivered', status: 202 }, 'card', at(30), deadline);
    expect(delivered).toEqual({
      state: 'delivered',
      attempts: 2,
      lastAttemptAt: at(30).toISOString(),
      lastStatus: 202,
      deliveredAt: at(30).toISOString(),
      via: 'card',
    });
  });

  it('a row is pending until every destination is settled; failed if any failed; due at its earliest destination', () => {
    const row = { nextAttemptAt: at(0).toISOString(), deliveries: '{}' } as OutboxRow;
    expect(
      settle(
        row,
        {
          a: { state: 'delivered', attempts: 1 },
          b: { state: 'pending', attempts: 1, nextAttemptAt: at(60).toISOString() },
          c: { state: 'pending', attempts: 2, nextAttemptAt: at(40).toISOString() },
        },
        at(0),
      ),
    ).toMatchObject({ state: 'pending', nextAttemptAt: at(40).toISOString() });
    expect(settle(row, { a: { state: 'delivered', attempts: 1 }, b: { state: 'failed', attempts: 1 } }, at(0)).state).toBe('failed');
    expect(settle(row, { a: { state: 'delivered', attempts: 1 } }, at(0)).state).toBe('delivered');
  });
});
