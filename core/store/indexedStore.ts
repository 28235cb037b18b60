import type { TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import type { FleetIndex } from './fleetIndex.js';
import type { StoredVm } from './planLifecycle.js';
import type { SkippedRows } from './skippedRows.js';

/** An index row as read back: its keys, ETag, and the keys of the row it points to. */
export type IndexPointer = TableEntityResult<Record<string, unknown>>;

/**
 * What the store's own read paths (findingsReads.ts, exemptionStore.ts) use of FindingsStore. A type of its own, so
 * that FindingsStore can answer its roles through them without the two modules importing each other.
 */
export interface IndexedStore {
  readonly index: FleetIndex;
  readVm(vmId: string, skipped?: SkippedRows): Promise<StoredVm>;
  confirm<T>(
    pointers: readonly IndexPointer[],
    rowKeyOf: (pointer: IndexPointer) => string,
    schema: z.ZodType<T>,
    holds: (row: T, pointer: IndexPointer) => boolean,
    skipped?: SkippedRows,
    onInvalid?: (pointer: IndexPointer, etag: string) => void,
  ): Promise<{ pointer: IndexPointer; row: T }[]>;
}
