import { performance } from 'node:perf_hooks';
import { forEachLimited } from '../platform/concurrency.js';
import { errorName } from '../platform/safeErrorText.js';
import type { AlertOutbox, OutboxRow } from '../store/index.js';
import { alertIntentOf, UnreadableIntentError, type AlertIntent } from './alertIntent.js';
import type { AlertLinks } from './alertLinks.js';
import { afterAttempt, deadlineOf, deferred, jitterOf, readDeliveries, settle, type Deliveries, type DestinationDelivery } from './deliveryState.js';
import type { AlertDestination } from './destinations.js';
import { DEFAULT_TIMEOUT_MS, postJson, type SendResult } from './httpSend.js';
import { intentFor } from './routing.js';
import { teamsMessageFor } from './teamsCard.js';
import { teamsDigestFor } from './teamsDigest.js';
import { signedWebhookRequest, webhookPayloadFor } from './webhookPayload.js';

/**
 * Delivery of the alert outbox: read the due intents, claim each (an ETag-guarded save), send it to the destinations
 * it routes to, record each destination's outcome, settle the row. At least once, never at most once: a deliverer
 * that dies after sending and before its final save leaves the claim to expire, and the next run sends again — with
 * the same idempotency key, which is how receivers drop the duplicate.
 */

/** What delivery needs of the findings store: its AlertOutbox role. */
export type { AlertOutbox };

export type AlertLog = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

export interface DeliverOptions {
  /** The run's clock: what is due, backoff, the 24-hour window and webhook timestamps are measured from it. */
  now: Date;
  fetch?: typeof fetch;
  /** Intents read per run (the rest wait for the next run). */
  maxPerRun?: number;
  timeoutMs?: number;
  /** Rule pages, portal, findings API (see loadAlertSettings); unset parts keep their defaults. */
  links?: Partial<AlertLinks>;
  /** Teams Workflows throttle bursts: about 4 requests per second per webhook. */
  teamsIntervalMs?: number;
  /** More intents than this for one Teams destination in one run become one digest card. */
  digestAbove?: number;
  /** No new request starts after this much (real) time; what is left stays due for the next run. */
  runBudgetMs?: number;
  log?: AlertLog;
  /** Back-off jitter in [0, 1) for an intent's next attempt at a destination (tests pin it; default: jitterOf). */
  jitter?: (idempotencyKey: string, destination: string, attempts: number) => number;
}

export interface DeliveryRunReport {
  due: number;
  /** Claimed by another deliverer between our read and our claim: left to it. */
  skipped: number;
  requests: number;
  delivered: number;
  failed: number;
  retrying: number;
  /** Rows whose claim or final save failed (storage trouble): they are retried after the claim expires. */
  storeErrors: number;
}

/**
 * How long a claim holds a row. Longer than a run can take (the run budget plus one request timeout), so another
 * deliverer never claims a row while its first deliverer is still sending. The final save in `finish` is
 * ETag-guarded by the claim: if the lease did run out and someone else claimed the row, that record stands.
 */
export const CLAIM_LEASE_MS = 5 * 60 * 1000;
const DEFAULTS = { maxPerRun: 100, teamsIntervalMs: 250, digestAbove: 5, runBudgetMs: 2 * 60 * 1000 };

interface RowWork {
  row: OutboxRow;
  deliveries: Deliveries;
  deadline: number;
  /** Destination name → what it gets this run. */
  due: Map<string, AlertIntent>;
  outcomes: Map<string, Outcome>;
}

type Outcome =
  | { kind: 'sent'; result: SendResult; via: NonNullable<DestinationDelivery['via']> }
  | { kind: 'deferred'; until: Date }
  | { kind: 'not-attempted' };

const noLog: AlertLog = () => undefined;

export async function deliverDueAlerts(store: AlertOutbox, destinations: readonly AlertDestination[], options: DeliverOptions): Promise<DeliveryRunReport> {
  const report: DeliveryRunReport = { due: 0, skipped: 0, requests: 0, delivered: 0, failed: 0, retrying: 0, storeErrors: 0 };
  // With nothing configured, intents wait (pending) rather than being settled as delivered to nobody.
  if (destinations.length === 0) return report;
  const log = options.log ?? noLog;
  const now = options.now;
  const rows = await store.dueAlerts(now.toISOString(), options.maxPerRun ?? DEFAULTS.maxPerRun);
  report.due = rows.length;

  const work: RowWork[] = [];
  const order = new Map<OutboxRow, number>();
  await forEachLimited(rows, 16, async (row) => {
    const claimed = await claim(store, row, now, log, report);
    if (!claimed) return;
    const planned = plan(claimed, destinations, now, options.links ?? {}, log);
    order.set(claimed, rows.indexOf(row));
    work.push(planned);
  });
  // Claims finish in any order; send in the store's order (oldest first within a VM).
  work.sort((a, b) => order.get(a.row)! - order.get(b.row)!);

  const run = new Run(options, log, report);
  await Promise.all(
    destinations.map((d) =>
      run.sendAll(
        d,
        work.filter((w) => w.due.has(d.name)),
      ),
    ),
  );

  await forEachLimited(work, 16, (w) => finish(store, w, now, log, report, options));
  return report;
}

/** The same jitter wherever this attempt's next time is computed (the run's blocking and the final record). */
function jitterFor(options: DeliverOptions, row: OutboxRow, destination: string, entry: DestinationDelivery): number {
  return (options.jitter ?? jitterOf)(row.idempotencyKey, destination, entry.attempts + 1);
}

/** An ETag-guarded save that pushes the row's due time out by the lease: one deliverer wins, the others skip it. */
async function claim(store: AlertOutbox, row: OutboxRow, now: Date, log: AlertLog, report: DeliveryRunReport): Promise<OutboxRow | null> {
  try {
    const claimed = await store.saveAlert({ ...row, nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString() });
    if (!claimed) report.skipped += 1;
    return claimed;
  } catch (error) {
    report.storeErrors += 1;
    log('error', 'could not claim an alert intent; it stays due', { idempotencyKey: row.idempotencyKey, error: errorName(error) });
    return null;
  }
}

/** Which destinations get what of this row in this run. Routing is fixed on the first run (see deliveryState.ts). */
function plan(row: OutboxRow, destinations: readonly AlertDestination[], now: Date, links: Partial<AlertLinks>, log: AlertLog): RowWork {
  const work: RowWork = { row, deliveries: {}, deadline: deadlineOf(row), due: new Map(), outcomes: new Map() };
  let intent: AlertIntent;
  try {
    intent = alertIntentOf(row, links);
  } catch (error) {
    if (!(error instanceof UnreadableIntentError)) throw error;
    log('error', 'alert intent cannot be read; marked failed', { idempotencyKey: row.idempotencyKey });
    work.deliveries = { '(unreadable)': { state: 'failed', attempts: 0, lastError: 'the intent cannot be read by this version (permanent)' } };
    return work;
  }
  const stored = readDeliveries(row);
  if (stored === null) log('warn', 'alert intent has unreadable delivery records; routing it again', { idempotencyKey: row.idempotencyKey });
  work.deliveries = stored ?? {};
  if (Object.keys(work.deliveries).length === 0) {
    for (const d of destinations) if (intentFor(d, intent)) work.deliveries[d.name] = { state: 'pending', attempts: 0 };
  }
  const byName = new Map(destinations.map((d) => [d.name, d]));
  for (const [name, entry] of Object.entries(work.deliveries)) {
    if (entry.state !== 'pending') continue;
    const destination = byName.get(name);
    if (!destination) {
      work.deliveries[name] = { ...entry, state: 'failed', lastError: 'destination no longer configured', nextAttemptAt: undefined };
      continue;
    }
    if ((entry.nextAttemptAt ?? '') > now.toISOString()) continue;
    const part = intentFor(destination, intent);
    // Its filters changed since the intent was routed: it no longer wants this one.
    if (part === null) delete work.deliveries[name];
    else work.due.set(name, part);
  }
  return work;
}

/** One delivery run's sending: pacing per Teams destination, the run's time budget, the per-destination back-off. */
class Run {
  private readonly started = performance.now();
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly options: DeliverOptions,
    private readonly log: AlertLog,
    private readonly report: DeliveryRunReport,
  ) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** The run's clock moved on by the real time spent sending (webhook timestamps must not be stale). */
  private clock(): Date {
    return new Date(this.options.now.getTime() + (performance.now() - this.started));
  }

  private outOfTime(): boolean {
    return performance.now() - this.started > (this.options.runBudgetMs ?? DEFAULTS.runBudgetMs);
  }

  async sendAll(destination: AlertDestination, items: RowWork[]): Promise<void> {
    if (items.length === 0) return;
    const digestAbove = this.options.digestAbove ?? DEFAULTS.digestAbove;
    if (destination.type === 'teams' && items.length > digestAbove) {
      const result = await this.post(
        destination.url,
        JSON.stringify(
          teamsDigestFor(
            items.map((w) => w.due.get(destination.name)!),
            { findingsApiUrl: this.options.links?.findingsApiUrl },
          ),
        ),
        {},
      );
      this.logResult(destination, result, { via: 'digest', intents: items.length });
      for (const w of items) w.outcomes.set(destination.name, { kind: 'sent', result, via: 'digest' });
      return;
    }
    let blockedUntil: Date | null = null;
    let gone: SendResult | null = null;
    let lastSent: number | null = null;
    for (const w of items) {
      // After a 410 the endpoint is gone: the rest fail with it, without a request each.
      if (gone) {
        w.outcomes.set(destination.name, { kind: 'sent', result: gone, via: destination.type === 'teams' ? 'card' : 'webhook' });
        continue;
      }
      if (blockedUntil) {
        w.outcomes.set(destination.name, { kind: 'deferred', until: blockedUntil });
        continue;
      }
      if (this.outOfTime()) {
        w.outcomes.set(destination.name, { kind: 'not-attempted' });
        continue;
      }
      if (destination.type === 'teams' && lastSent !== null)
        await sleep(lastSent + (this.options.teamsIntervalMs ?? DEFAULTS.teamsIntervalMs) - performance.now());
      const intent = w.due.get(destination.name)!;
      const result =
        destination.type === 'teams'
          ? await this.post(destination.url, JSON.stringify(teamsMessageFor(intent)), {})
          : await this.sendWebhook(destination.url, destination.secrets, intent);
      // Paced from the answer, not the departure: a slow first request (connection set-up) cannot bunch the next one
      // up behind it at the receiver, which is where Teams counts.
      lastSent = performance.now();
      const via = destination.type === 'teams' ? 'card' : 'webhook';
      this.logResult(destination, result, { via, idempotencyKey: intent.idempotencyKey, vm: intent.vm.name });
      w.outcomes.set(destination.name, { kind: 'sent', result, via });
      if (result.kind === 'permanent' && result.status === 410) gone = result;
      // A destination that is down or throttling is not hit again in this run; the rest wait as long as this one.
      if (result.kind === 'transient') {
        const entry = w.deliveries[destination.name]!;
        const next = afterAttempt(entry, result, via, this.options.now, w.deadline, jitterFor(this.options, w.row, destination.name, entry)).nextAttemptAt;
        blockedUntil = next ? new Date(next) : this.options.now;
      }
    }
  }

  private async sendWebhook(url: string, secrets: readonly string[], intent: AlertIntent): Promise<SendResult> {
    const { body, headers } = signedWebhookRequest(webhookPayloadFor(intent), secrets, this.clock());
    return this.post(url, body, headers);
  }

  private post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    this.report.requests += 1;
    return postJson(this.fetchImpl, url, body, headers, { timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, now: this.options.now });
  }

  private logResult(destination: AlertDestination, result: SendResult, fields: Record<string, unknown>): void {
    const base = { destination: destination.name, type: destination.type, ...fields };
    if (result.kind === 'delivered') this.log('info', 'alert delivered', { ...base, status: result.status });
    else if (result.kind === 'transient')
      this.log('warn', 'alert delivery failed; will retry', { ...base, error: result.error, retryAfterSeconds: result.retryAfterSeconds });
    else this.log('error', 'alert delivery refused by the destination; not retried', { ...base, error: result.error });
  }
}

/**
 * Records the outcomes and settles the row, guarded by the ETag our claim produced: should the lease have run out
 * and another deliverer claimed the row meanwhile, this save loses and the other deliverer's record stands.
 */
async function finish(store: AlertOutbox, w: RowWork, now: Date, log: AlertLog, report: DeliveryRunReport, options: DeliverOptions): Promise<void> {
  const deliveries: Deliveries = { ...w.deliveries };
  for (const [name, outcome] of w.outcomes) {
    const entry = deliveries[name]!;
    if (outcome.kind === 'sent') deliveries[name] = afterAttempt(entry, outcome.result, outcome.via, now, w.deadline, jitterFor(options, w.row, name, entry));
    else if (outcome.kind === 'deferred') deliveries[name] = deferred(entry, outcome.until, now, w.deadline);
  }
  const settled = settle(w.row, deliveries, now);
  try {
    if ((await store.saveAlert(settled)) === null) {
      report.storeErrors += 1;
      log('warn', 'another deliverer claimed this alert intent after our lease ran out; its record stands', { idempotencyKey: w.row.idempotencyKey });
      return;
    }
  } catch (error) {
    report.storeErrors += 1;
    log('error', 'could not save alert delivery progress; the intent is sent again after its claim expires', {
      idempotencyKey: w.row.idempotencyKey,
      error: errorName(error),
    });
    return;
  }
  if (settled.state === 'delivered') report.delivered += 1;
  else if (settled.state === 'failed') {
    report.failed += 1;
    const failedTo = Object.entries(deliveries).filter(([, e]) => e.state === 'failed');
    log('error', 'alert intent failed', {
      idempotencyKey: w.row.idempotencyKey,
      vm: w.row.vmName,
      destinations: failedTo.map(([name, e]) => ({ destination: name, error: e.lastError })),
    });
  } else report.retrying += 1;
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
