import { odata } from '@azure/data-tables';
import type { FindingsStore } from '../../core/store/index.js';
import { LEGACY_DIRTY_ROW, vmPartitionKey } from '../../core/store/tableKeys.js';

/**
 * Turns a store into one the previous layout wrote. Its VM partitions held the same rows as today's (summary `vm`,
 * `finding|<rule>`, `outbox|…`), no index partitions, and a dirty mark as a `dirty` row of the VM's own partition.
 */
export async function toOldLayout(store: FindingsStore, dirty: { vmId: string; at: string }[] = []): Promise<void> {
  for await (const row of store.table.listEntities({
    queryOptions: { filter: odata`PartitionKey ge ${'ix.'} and PartitionKey lt ${'ix/'}`, select: ['PartitionKey', 'RowKey'] },
  })) {
    await store.table.deleteEntity(String(row.partitionKey), String(row.rowKey));
  }
  for (const mark of dirty)
    await store.table.upsertEntity({
      partitionKey: vmPartitionKey(mark.vmId),
      rowKey: LEGACY_DIRTY_ROW,
      vmId: mark.vmId,
      cause: 'disk-write',
      eventId: 'e-1',
      at: mark.at,
    });
}
