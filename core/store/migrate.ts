import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { FindingsStore } from './findingsStore.js';
import { LEGACY_DIRTY_ROW, META_PARTITION, SUMMARY_ROW } from './tableKeys.js';

/** Every VM partition key sorts before this (`%` encodes the leading `/` of a VM id; index partitions start `ix.`). */
const VM_PARTITIONS_END = 'ix.';
const PROGRESS_EVERY = 100;

const progressRow = z.object({ lastPartition: z.string().default(''), done: z.boolean().default(false), vms: z.number().default(0) });

export interface MigrationReport {
  vms: number;
  dirtyMarks: number;
  resumedAfter: string | null;
  alreadyDone: boolean;
}

/**
 * Brings a store written before the index layout up to it: every VM partition is read once and its index synced
 * from it, and dirty marks kept as rows of VM partitions move to the dirty partition. VM partitions are the truth
 * and are not changed, so nothing is lost. Idempotent (a sync of an indexed VM writes nothing) and resumable
 * (progress is saved every 100 VMs; a rerun continues after the last saved VM). This is the one operation that reads
 * the whole table, once.
 */
export async function migrateStore(
  store: FindingsStore,
  options: { restart?: boolean; budgetMs?: number; now?: () => number } = {},
): Promise<MigrationReport & { complete: boolean }> {
  const now = options.now ?? Date.now;
  const started = now();
  const saved = await store.index.getRow(META_PARTITION, 'migration', progressRow);
  if (saved?.done && !options.restart) return { vms: 0, dirtyMarks: 0, resumedAfter: null, alreadyDone: true, complete: true };
  const after = options.restart ? '' : (saved?.lastPartition ?? '');
  let vms = options.restart ? 0 : (saved?.vms ?? 0);
  let last = after;
  const save = (done: boolean) => store.index.putEntry({ partitionKey: META_PARTITION, rowKey: 'migration', lastPartition: last, done, vms });

  const summaries = odata`RowKey eq ${SUMMARY_ROW} and PartitionKey gt ${after} and PartitionKey lt ${VM_PARTITIONS_END}`;
  for await (const row of store.table.listEntities({ queryOptions: { filter: summaries, select: ['PartitionKey'] } })) {
    if (options.budgetMs !== undefined && now() - started > options.budgetMs) {
      await save(false);
      return { vms, dirtyMarks: 0, resumedAfter: after || null, alreadyDone: false, complete: false };
    }
    const partition = String(row.partitionKey);
    await store.reindex(partition);
    vms += 1;
    last = partition;
    if (vms % PROGRESS_EVERY === 0) await save(false);
  }

  let dirtyMarks = 0;
  const legacyDirty = odata`RowKey eq ${LEGACY_DIRTY_ROW} and PartitionKey lt ${VM_PARTITIONS_END}`;
  for await (const row of store.table.listEntities({ queryOptions: { filter: legacyDirty } })) {
    const vmId = typeof row.vmId === 'string' ? row.vmId : decodeURIComponent(String(row.partitionKey));
    await store.index.markDirty(String(row.partitionKey), {
      vmId,
      cause: String(row.cause ?? 'migrated'),
      eventId: String(row.eventId ?? ''),
      at: String(row.at ?? ''),
    });
    await store.index.deleteIfPresent(String(row.partitionKey), LEGACY_DIRTY_ROW, String(row.etag));
    dirtyMarks += 1;
  }
  await save(true);
  return { vms, dirtyMarks, resumedAfter: after || null, alreadyDone: false, complete: true };
}
