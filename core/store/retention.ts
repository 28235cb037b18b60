import { z } from 'zod';
import type { FindingsStore } from './findingsStore.js';
import { EXPIRY_DAYS_PARTITION, expiryPartition, META_PARTITION, SUMMARY_ROW } from './tableKeys.js';

export const DEFAULT_RETENTION_DAYS = 90;

export interface PurgeReport {
  days: number;
  vms: number;
  /** Rows removed from VM partitions: resolved findings, settled alert intents, whole partitions of deleted VMs. */
  rowsDeleted: number;
  /** Expiry entries whose row had come back to life (reopened, still pending): left alone. */
  kept: number;
}

const expiryEntry = z.object({ rowKey: z.string(), vmKey: z.string(), targetRowKey: z.string() });

/**
 * Removes what is older than the retention: resolved findings, settled (delivered or failed) alert intents, and
 * deleted VMs with everything they kept. It never scans: the days that have anything to expire are listed in one
 * partition, and each day's entries in another, so a run reads what it deletes plus a few rows. Each entry is
 * confirmed against the VM's partition before anything is deleted (a finding that reopened stays), and the VM's
 * index is then synced from its partition, which drops the pointers to what went.
 */
export async function purgeExpired(store: FindingsStore, now: Date, retentionDays = DEFAULT_RETENTION_DAYS): Promise<PurgeReport> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const cutoffDay = cutoff.slice(0, 10);
  const report: PurgeReport = { days: 0, vms: 0, rowsDeleted: 0, kept: 0 };
  const days: string[] = [];
  for await (const row of store.index.rows(EXPIRY_DAYS_PARTITION, { to: cutoffDay })) days.push(String(row.rowKey));
  for (const day of days) {
    const byVm = new Map<string, string[]>();
    const entries: { rowKey: string }[] = [];
    for await (const raw of store.index.rows(expiryPartition(day))) {
      const entry = expiryEntry.safeParse(raw);
      if (!entry.success) continue;
      entries.push(entry.data);
      byVm.set(entry.data.vmKey, [...(byVm.get(entry.data.vmKey) ?? []), entry.data.targetRowKey]);
    }
    for (const [vmKey, targets] of byVm) {
      const { deleted, kept } = await purgeVm(store, vmKey, new Set(targets), cutoff);
      report.rowsDeleted += deleted;
      report.kept += kept;
      report.vms += 1;
    }
    // The day is done: its entries and its registration go (entries of rows that were kept are re-added by their sync).
    for (const entry of entries) await store.index.deleteIfPresent(expiryPartition(day), entry.rowKey);
    await store.index.deleteIfPresent(EXPIRY_DAYS_PARTITION, day);
    report.days += 1;
  }
  await store.index.putEntry({ partitionKey: META_PARTITION, rowKey: 'retention', lastRunAt: now.toISOString(), retentionDays, ...report });
  return report;
}

const rawRow = { parse: (row: unknown) => row as { etag?: string; state?: string; resolvedAt?: string; createdAt?: string; lastEvaluatedAt?: string } };

/** Still expired, as the row stands now (read again just before its ETag-guarded delete). */
function stillExpired(rowKey: string, row: ReturnType<typeof rawRow.parse>, cutoff: string): boolean {
  if (rowKey === SUMMARY_ROW) return row.state === 'deleted' && (row.lastEvaluatedAt ?? '') < cutoff;
  if (row.state === 'resolved') return (row.resolvedAt ?? '') < cutoff;
  return (row.state === 'delivered' || row.state === 'failed') && (row.createdAt ?? '') < cutoff;
}

/**
 * Deletes the expired rows of one VM that its partition confirms, each guarded by the ETag it was confirmed with
 * (an evaluation that reopens the finding in between wins), then syncs the VM's index. A VM deleted long ago
 * loses its whole partition; its summary goes last, so a crash midway leaves it findable for the next run.
 */
async function purgeVm(store: FindingsStore, vmKey: string, targets: ReadonlySet<string>, cutoff: string): Promise<{ deleted: number; kept: number }> {
  const stored = await store.readPartition(vmKey);
  const goesWhole = stored.summary !== null && targets.has(SUMMARY_ROW) && stillExpired(SUMMARY_ROW, stored.summary, cutoff);
  const candidates = goesWhole
    ? [...[...stored.findings.values()].map((f) => f.rowKey), ...stored.outbox.map((o) => o.rowKey), SUMMARY_ROW]
    : [...targets].filter((k) => k !== SUMMARY_ROW);
  let deleted = 0;
  for (const rowKey of candidates) {
    const row = await store.index.getRow(vmKey, rowKey, rawRow);
    if (row === null || (!goesWhole && !stillExpired(rowKey, row, cutoff)) || (rowKey === SUMMARY_ROW && !stillExpired(rowKey, row, cutoff))) continue;
    await store.index.deleteIfPresent(vmKey, rowKey, row.etag);
    deleted += 1;
  }
  if (deleted > 0) await store.reindex(vmKey);
  const kept = [...targets].filter((k) => !candidates.includes(k)).length + (goesWhole ? 0 : candidates.length - deleted);
  return { deleted, kept };
}
