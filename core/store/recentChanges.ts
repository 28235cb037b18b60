import type { FindingsStore, IndexPointer } from './findingsStore.js';
import { outboxRow, type OutboxRow } from './outbox.js';
import type { Transition, Trigger } from './rows.js';
import { SkippedRows } from './skippedRows.js';
import { alertIndexPartition, scopeKeyPrefix } from './tableKeys.js';

/**
 * What changed in the fleet since a time: every evaluation that opened, reopened, re-graded or resolved a finding
 * committed an alert intent with those transitions (the transactional outbox), and the intents are indexed by
 * time: settled ones (`ix.alert.delivered`, `ix.alert.failed`) by creation, pending ones by when they are next due,
 * which is never before their creation. So "since T" is key ranges `RowKey ge T` in three partitions, and costs
 * what it returns (each pointer, then its intent, confirmed in the VM's partition). Intents stay until retention
 * (RETENTION_DAYS) removes settled ones, so a window of days is always covered.
 */

export interface ChangeView {
  at: string;
  vmId: string;
  vmName: string;
  subscriptionId: string;
  resourceGroup: string;
  trigger: Trigger;
  /** What changed, without the evidence (the VM's findings carry it). */
  transitions: Omit<Transition, 'evidence'>[];
}

/** Reading a busy fleet's week stays bounded: past this many intents the answer says `truncated`. */
export const MAX_CHANGES = 2000;
const DAY_MS = 86_400_000;

/**
 * The windows to read, newest first: the last day (with no upper bound: a pending intent may be due later), then
 * each day before it. Key ranges read oldest first, so reading day by day is what lets a cut-short answer keep the
 * newest changes and drop the oldest.
 */
function windows(now: Date, days: number): { from: string; to?: string }[] {
  return Array.from({ length: days }, (_, d) => ({
    from: new Date(now.getTime() - (d + 1) * DAY_MS).toISOString(),
    ...(d > 0 ? { to: new Date(now.getTime() - d * DAY_MS).toISOString() } : {}),
  }));
}

export async function recentChanges(
  store: FindingsStore,
  query: { now: Date; days: number; subscription?: string; limit?: number },
  skipped = new SkippedRows(),
): Promise<{ since: string; items: ChangeView[]; truncated: boolean; skippedRows: number }> {
  const limit = query.limit ?? MAX_CHANGES;
  const since = new Date(query.now.getTime() - query.days * DAY_MS).toISOString();
  const inScope = query.subscription ? scopeKeyPrefix(query.subscription) : '';
  let truncated = false;
  const found = new Map<string, OutboxRow>();
  for (const window of windows(query.now, query.days)) {
    for (const state of ['pending', 'delivered', 'failed'] as const) {
      const pointers: IndexPointer[] = [];
      for await (const pointer of store.index.rows(alertIndexPartition(state), window)) {
        if (!String(pointer.vmKey).startsWith(inScope)) continue;
        if (found.size + pointers.length >= limit) {
          truncated = true;
          break;
        }
        pointers.push(pointer);
      }
      const confirmed = await store.confirm(
        pointers,
        (p) => String(p.outboxRowKey),
        outboxRow,
        (row) => row.state === state,
        skipped,
      );
      // A pending intent is keyed by its next attempt, which a retry moves: keep each intent once.
      for (const { row } of confirmed) if (row.createdAt >= since) found.set(`${row.partitionKey}\n${row.rowKey}`, row);
      if (truncated) break;
    }
    if (truncated) break;
  }
  const items = [...found.values()]
    .map((row) => ({
      at: row.createdAt,
      vmId: row.vmId,
      vmName: row.vmName,
      subscriptionId: row.subscriptionId,
      resourceGroup: row.resourceGroup,
      trigger: JSON.parse(row.trigger) as Trigger,
      transitions: (JSON.parse(row.transitions) as Transition[]).map(({ evidence: _evidence, ...t }) => t),
    }))
    .sort((a, b) => b.at.localeCompare(a.at) || a.vmId.localeCompare(b.vmId));
  return { since, items, truncated, skippedRows: skipped.count };
}
