import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { OutboxRow } from '../store/index.js';
import type { SendResult } from './httpSend.js';

/**
 * The outbox row's `deliveries`: one entry per destination the intent was routed to, fixed on its first delivery
 * run (a destination added later does not receive old intents). The row is `delivered` when every entry is,
 * `failed` when none is pending any more and one failed, otherwise `pending` until the earliest entry is due.
 */
export const destinationDelivery = z.object({
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  lastStatus: z.number().int().optional(),
  /** Our own short description (`HTTP 503`, `timeout`); never a URL or an error's text. */
  lastError: z.string().optional(),
  deliveredAt: z.string().optional(),
  /** How it went out: its own card, inside a digest card, or a webhook call. */
  via: z.enum(['card', 'digest', 'webhook']).optional(),
});
export type DestinationDelivery = z.infer<typeof destinationDelivery>;
export const deliveriesSchema = z.record(z.string(), destinationDelivery);
export type Deliveries = z.infer<typeof deliveriesSchema>;

/** Give up on a destination this long after the evaluation that caused the alert. */
export const DELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 60 * 60 * 1000;

export function readDeliveries(row: OutboxRow): Deliveries | null {
  try {
    const parsed = deliveriesSchema.safeParse(JSON.parse(row.deliveries || '{}'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** 30 s, 1 min, 2 min, … capped at 1 h: attempt n (1-based) waits this long before attempt n + 1. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Back-off waits are stretched by up to this fraction. Without it, every intent that failed against a destination
 * during an outage retries at the same instant when it comes back, and knocks it over again (the thundering herd).
 */
export const JITTER_SPREAD = 0.25;

/**
 * A jitter in [0, 1) derived from the intent, the destination and the attempt: spread like a random draw across
 * intents, yet the same on a re-run of the same attempt, so a crashed-and-repeated run plans the same times.
 */
export function jitterOf(idempotencyKey: string, destination: string, attempts: number): number {
  return createHash('sha256').update(`${idempotencyKey}\n${destination}\n${attempts}`).digest().readUInt32BE(0) / 2 ** 32;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function deadlineOf(row: OutboxRow): number {
  const created = Date.parse(row.createdAt);
  return (Number.isNaN(created) ? 0 : created) + DELIVERY_WINDOW_MS;
}

/**
 * The entry after one attempt. A transient failure waits (Retry-After when given, exactly; otherwise the back-off
 * stretched by `jitter` × JITTER_SPREAD) up to the deadline, then fails.
 */
export function afterAttempt(
  entry: DestinationDelivery,
  result: SendResult,
  via: NonNullable<DestinationDelivery['via']>,
  now: Date,
  deadline: number,
  jitter = 0,
): DestinationDelivery {
  const attempts = entry.attempts + 1;
  const base = { ...entry, attempts, lastAttemptAt: now.toISOString(), via };
  if (result.kind === 'delivered') {
    const { lastError: _error, nextAttemptAt: _next, ...rest } = base;
    return { ...rest, state: 'delivered', lastStatus: result.status, deliveredAt: now.toISOString() };
  }
  const withStatus = result.status === null ? (({ lastStatus: _s, ...rest }) => rest)(base) : { ...base, lastStatus: result.status };
  if (result.kind === 'permanent') return { ...withStatus, state: 'failed', lastError: `${result.error} (permanent)`, nextAttemptAt: undefined };
  if (now.getTime() >= deadline)
    return { ...withStatus, state: 'failed', lastError: `${result.error} (gave up: still failing 24 h after the evaluation)`, nextAttemptAt: undefined };
  const waitMs =
    result.retryAfterSeconds !== null
      ? Math.min(MAX_RETRY_MS, Math.max(1_000, result.retryAfterSeconds * 1000))
      : Math.round(backoffMs(attempts) * (1 + JITTER_SPREAD * jitter));
  return { ...withStatus, state: 'pending', lastError: result.error, nextAttemptAt: iso(Math.min(now.getTime() + waitMs, deadline)) };
}

/**
 * Not attempted this run because the destination already failed transiently in it (it is down or throttling us):
 * wait as long as that failure said, without counting an attempt.
 */
export function deferred(entry: DestinationDelivery, until: Date, now: Date, deadline: number): DestinationDelivery {
  if (now.getTime() >= deadline)
    return {
      ...entry,
      state: 'failed',
      lastError: `${entry.lastError ?? 'not delivered'} (gave up: not delivered 24 h after the evaluation)`,
      nextAttemptAt: undefined,
    };
  return { ...entry, state: 'pending', nextAttemptAt: iso(Math.min(until.getTime(), deadline)) };
}

/** The row's state and next due time from its entries. */
export function settle(row: OutboxRow, deliveries: Deliveries, now: Date): OutboxRow {
  const entries = Object.values(deliveries);
  const pending = entries.filter((e) => e.state === 'pending');
  const state: OutboxRow['state'] = pending.length > 0 ? 'pending' : entries.some((e) => e.state === 'failed') ? 'failed' : 'delivered';
  const nextAttemptAt = pending.length > 0 ? pending.map((e) => e.nextAttemptAt ?? now.toISOString()).sort()[0]! : row.nextAttemptAt;
  // JSON.stringify drops the `undefined` fields cleared above.
  return { ...row, state, nextAttemptAt, deliveries: JSON.stringify(deliveries) };
}
