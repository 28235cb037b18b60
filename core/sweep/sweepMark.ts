import type { SweepMark, SweepState } from '../store/index.js';

export type { SweepMark };
import type { SweepPath } from './sweepRun.js';

const HOUR = 3_600_000;

/**
 * Resource Graph change records can arrive a few minutes after the change (Microsoft documents "less than five
 * minutes"), and its clock is not ours: each run reads changes from its own start minus this overlap, so a late
 * record is still in the next run's window. A change seen twice costs one projection read: its fingerprint matches.
 */
export const CHANGE_OVERLAP_MS = 10 * 60_000;

/**
 * How far back `resourcechanges` can be trusted to reach. Resource Graph keeps 14 days, but Microsoft's page has
 * announced a temporary cut to 7: a mark older than this means changes may be lost, so the sweep reads everything.
 */
export const CHANGE_LOOKBACK_MS = 7 * 24 * HOUR;

/** The subscription scope as stored ('' is every subscription the identity can read). */
export function scopeOf(subscriptions: readonly string[]): string {
  return [...new Set(subscriptions.map((s) => s.toLowerCase()))].sort().join(',');
}

/** The sweep's progress, kept by the store; written only when a sweep completes. */
export function readSweepMark(store: SweepState): Promise<SweepMark | null> {
  return store.sweepMark();
}

/** The mark after a complete run that started at `started`; `previous` carries the last full sweep over an incremental one. */
export function markAfter(path: SweepPath, started: Date, edition: string, scope: string, previous: SweepMark | null): SweepMark {
  const since = new Date(started.getTime() - CHANGE_OVERLAP_MS).toISOString();
  const full = path === 'full' || previous === null;
  return {
    since,
    lastFullAt: full ? started.toISOString() : previous.lastFullAt,
    edition: full ? edition : previous.edition,
    scope,
  };
}

export function writeSweepMark(store: SweepState, mark: SweepMark): Promise<void> {
  return store.saveSweepMark(mark);
}

export type SweepPlan = { path: 'full'; why: string } | { path: 'incremental'; why: string; since: Date; mark: SweepMark };

/**
 * Full or incremental: full when there is no mark, when the mark is older than the change history reaches, when the
 * edition or the subscription scope changed since the last full sweep, or when that sweep is older than `fullEveryMs`
 * (the maximum age, and whatever change tracking misses). Otherwise only what changed since the mark.
 */
export function planSweep(mark: SweepMark | null, now: Date, edition: string, scope: string, fullEveryMs: number): SweepPlan {
  if (mark === null) return { path: 'full', why: 'no sweep mark yet' };
  const since = new Date(mark.since);
  if (Number.isNaN(since.getTime()) || now.getTime() - since.getTime() > CHANGE_LOOKBACK_MS)
    return { path: 'full', why: `the mark (${mark.since}) is older than the change history reaches` };
  if (mark.edition !== edition) return { path: 'full', why: `the edition changed (${mark.edition} → ${edition})` };
  if (mark.scope !== scope) return { path: 'full', why: 'the subscription scope changed' };
  // Written as `!(age < period)` so that an unreadable time counts as due.
  if (!(now.getTime() - Date.parse(mark.lastFullAt) < fullEveryMs)) return { path: 'full', why: `the last full sweep (${mark.lastFullAt}) is due again` };
  return { path: 'incremental', why: `changes since ${mark.since}`, since, mark };
}
