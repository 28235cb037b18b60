import { odata, type TableClient, type TableEntity, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { forEachLimited } from '../platform/concurrency.js';
import { ignoreNotFound, isNotFound, isStatus, readOr404 } from './notFound.js';
import { parseArmId } from '../armModel/armId.js';
import { addContributions, contributionDelta, entryHash, indexImageOf, isZero, NO_CONTRIBUTION, type Contribution, type IndexEntity } from './indexImage.js';
import type { StoredVm } from './planLifecycle.js';
import {
  aggregateRow,
  contributionOf,
  projectionFrom,
  projectionRow,
  SWEEP_COLUMNS,
  sweepProjection,
  type AggregateRow,
  type ProjectionRow,
  type SweepProjection,
} from './projection.js';
import { AGGREGATE_ROW, DIRTY_PARTITION, EXPIRY_DAYS_PARTITION, projectionPartition, SUBSCRIPTIONS_PARTITION } from './tableKeys.js';

/** Concurrent syncs of one VM, or of VMs sharing a subscription's aggregate row, each win a round. */
const MAX_SYNC_ATTEMPTS = 25;
const WRITE_CONCURRENCY = 8;
const TRANSACTION_LIMIT = 100;

/** The subscription of a VM key (an encoded, lower-cased VM id). */
export function subscriptionOfVmKey(vmKey: string): string {
  return (parseArmId(decodeURIComponent(vmKey)).subscriptionId ?? '').toLowerCase();
}

export type SyncResult = 'synced' | 'unchanged' | 'newer-indexed';

/** A dirty mark as read: a VM's names its VM (`vmId`), a changed policy's its policy (`policyId`, `vmId` empty). */
export interface DirtyMark {
  etag: string;
  vmId: string;
  policyId?: string;
}

/**
 * The index side of the findings table: derived from the VM partitions, written after their commit, repaired by
 * writing again. See docs/storage-layout.md.
 */
export class FleetIndex {
  private readonly registeredDays = new Set<string>();

  constructor(
    private readonly table: TableClient,
    private readonly ensureTable: () => Promise<void>,
  ) {}

  /**
   * Brings the index in line with one VM's partition as just read (`stored`): entries the image has and the last
   * write did not are upserted, entries it no longer has are deleted, then the projection row and the
   * subscription's aggregate move together in one transaction. Idempotent: running it twice writes nothing new.
   * A sync with an older read than the one already indexed stops (the newer one wins).
   * `rewrite` upserts every entry of the image, not only those whose hash moved: the repair for an entry whose
   * content disagrees with the hash the projection recorded (an older sync racing this VM's wrote it last, or a
   * reader removed it as stale).
   * `projection` is the VM's projection row read ahead (FindingsStore.prepareWrite, while ARM was read): one round
   * trip fewer. A read that old is safe because the projection is written ETag-guarded, and a retry that finds
   * another sync's projection brings the entries in line with that one before it commits.
   */
  async sync(
    vmKey: string,
    stored: StoredVm,
    options: { rewrite?: boolean; projection?: Promise<ProjectionRow | null>; aggregate?: Promise<{ row: AggregateRow | null } | null> } = {},
  ): Promise<SyncResult> {
    await this.ensureTable();
    const partition = projectionPartition(subscriptionOfVmKey(vmKey));
    const image = indexImageOf(stored);
    const desired: Record<string, string> = {};
    for (const [key, entity] of image.entries) desired[key] = entryHash(entity);
    const projection = stored.summary ? projectionFrom(stored.summary, partition, image.contribution, desired) : null;
    let current = await (options.projection ?? this.getRow(partition, vmKey, projectionRow));
    /** The projection the entries were last brought in line with: a retry that re-reads the same one writes no entry. */
    let alignedWith: ProjectionRow | null | undefined;
    for (let attempt = 1; ; attempt++) {
      if (isNewer(current, stored)) return 'newer-indexed';
      const delta = contributionDelta(image.contribution, contributionOf(current));
      // The aggregate is read ahead (first attempt), or while the entries are written; its ETag guards the commit, so
      // an old read only retries.
      const ahead = attempt === 1 && !isZero(delta) ? await options.aggregate : null;
      const aggregate = isZero(delta) ? null : ahead ? Promise.resolve(ahead.row) : this.getRow(partition, AGGREGATE_ROW, aggregateRow);
      aggregate?.catch(() => undefined);
      if (alignedWith === undefined || alignedWith?.etag !== current?.etag) {
        const changes = entryChanges(image.entries, desired, current, options.rewrite === true && attempt === 1);
        await Promise.all([
          this.writeEntries(changes.upserts, changes.deletes),
          current === null && projection !== null ? this.registerSubscription(partition, aggregate) : undefined,
        ]);
        alignedWith = current;
        if (attempt === 1 && current === null && projection === null) return 'unchanged';
        if (attempt === 1 && current && projection && changes.upserts.length + changes.deletes.length === 0 && sameProjection(current, projection))
          return 'unchanged';
      }
      // Only the projection and aggregate are retried: they race other VMs of the subscription (the aggregate's ETag).
      try {
        await this.commitProjection(partition, current, projection, delta, aggregate);
        return 'synced';
      } catch (error) {
        if (!isStatus(error, 409, 412) || attempt >= MAX_SYNC_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(10 * attempt, 100)));
        current = await this.getRow(partition, vmKey, projectionRow);
      }
    }
  }

  /**
   * Lists the VM's subscription for the sweep, before its first projection is written: a crash between the two then
   * leaves a subscription listed with no VM (harmless), never a VM whose subscription the sweep does not list (its
   * next sync would not register it). A subscription whose aggregate row exists is already listed, since every
   * aggregate is written with a projection and nothing removes a registration: the other new VMs of a deployment
   * skip the write. (Not cached in-process: `migrate` rebuilds registrations after the index was cleared.)
   */
  private async registerSubscription(partition: string, aggregate: Promise<AggregateRow | null> | null): Promise<void> {
    if ((await aggregate) != null) return;
    await this.table.upsertEntity({ partitionKey: SUBSCRIPTIONS_PARTITION, rowKey: partition.slice('ix.vm.'.length) }, 'Replace');
  }

  /** The projection and (when the VM's contribution moved) the aggregate: one entity-group transaction, ETag-guarded. */
  private async commitProjection(
    partition: string,
    current: ProjectionRow | null,
    projection: Omit<ProjectionRow, 'etag'> | null,
    delta: Contribution,
    aggregateRead: Promise<AggregateRow | null> | null,
  ): Promise<void> {
    const actions: TransactionAction[] = [];
    // A transaction's delete carries no ETag; only retention deletes a projection, and nothing else writes it then.
    if (projection === null) actions.push(['delete', { partitionKey: partition, rowKey: current!.rowKey }]);
    else if (current) actions.push(['update', projection as TableEntity, 'Replace', { etag: current.etag ?? '*' }]);
    else actions.push(['create', projection as TableEntity]);
    if (!isZero(delta)) {
      const aggregate = await (aggregateRead ?? this.getRow(partition, AGGREGATE_ROW, aggregateRow));
      // Spread over NO_CONTRIBUTION: an aggregate written before a count existed (`exempted`) lacks it.
      const totals = addContributions({ ...NO_CONTRIBUTION, ...(aggregate ? (JSON.parse(aggregate.totals) as Partial<Contribution>) : {}) }, delta);
      const row = { partitionKey: partition, rowKey: AGGREGATE_ROW, totals: JSON.stringify(totals) };
      actions.push(aggregate ? ['update', row, 'Replace', { etag: aggregate.etag ?? '*' }] : ['create', row]);
    }
    await this.table.submitTransaction(actions);
  }

  /** Upserts batched per partition (one transaction per 100), deletes one by one (a missing entity is fine). */
  private async writeEntries(upserts: readonly IndexEntity[], deletes: readonly string[]): Promise<void> {
    const byPartition = new Map<string, IndexEntity[]>();
    for (const e of upserts) byPartition.set(e.partitionKey, [...(byPartition.get(e.partitionKey) ?? []), e]);
    const batches: IndexEntity[][] = [];
    for (const rows of byPartition.values()) for (let i = 0; i < rows.length; i += TRANSACTION_LIMIT) batches.push(rows.slice(i, i + TRANSACTION_LIMIT));
    await forEachLimited(batches, WRITE_CONCURRENCY, async (batch) => {
      if (batch.length === 1) await this.table.upsertEntity(batch[0]!, 'Replace');
      else await this.table.submitTransaction(batch.map((e): TransactionAction => ['upsert', e, 'Replace']));
    });
    await this.registerExpiryDays(upserts);
    await forEachLimited(deletes, WRITE_CONCURRENCY, async (key) => {
      const [partitionKey, rowKey] = key.split('\n') as [string, string];
      await this.deleteIfPresent(partitionKey, rowKey);
    });
  }

  private async registerExpiryDays(upserts: readonly IndexEntity[]): Promise<void> {
    const days = new Set(upserts.filter((e) => e.partitionKey.startsWith('ix.expire.')).map((e) => e.partitionKey.slice('ix.expire.'.length)));
    for (const day of days) {
      if (this.registeredDays.has(day)) continue;
      await this.table.upsertEntity({ partitionKey: EXPIRY_DAYS_PARTITION, rowKey: day }, 'Replace');
      this.registeredDays.add(day);
    }
  }

  async deleteIfPresent(partitionKey: string, rowKey: string, etag?: string): Promise<void> {
    await ignoreNotFound(() => this.table.deleteEntity(partitionKey, rowKey, etag ? { etag } : undefined), { orChanged: true });
  }

  /** Writes one index entry outside a sync (an alert intent moving between states, a meta row): the next sync reconciles. */
  async putEntry(entity: IndexEntity): Promise<void> {
    await this.ensureTable();
    await this.table.upsertEntity(entity, 'Replace');
    await this.registerExpiryDays([entity]);
  }

  /** A point read, validated; null when absent (or no table yet). */
  async getRow<T>(partitionKey: string, rowKey: string, schema: { parse(value: unknown): T }): Promise<T | null> {
    return readOr404(async () => schema.parse(await this.table.getEntity(partitionKey, rowKey)), null);
  }

  /** Rows of one partition (optionally a key range and a filter), page by page, as the table returns them. */
  pages(
    partitionKey: string,
    options: { from?: string; to?: string; filter?: string; select?: readonly string[]; pageSize?: number; continuationToken?: string } = {},
  ) {
    let filter = odata`PartitionKey eq ${partitionKey}`;
    if (options.from !== undefined) filter += ` and ${odata`RowKey ge ${options.from}`}`;
    if (options.to !== undefined) filter += ` and ${odata`RowKey lt ${options.to}`}`;
    if (options.filter) filter += ` and (${options.filter})`;
    return this.table
      .listEntities({ queryOptions: { filter, ...(options.select ? { select: [...options.select] } : {}) } })
      .byPage({ maxPageSize: options.pageSize ?? 1000, ...(options.continuationToken ? { continuationToken: options.continuationToken } : {}) });
  }

  /** Every row of one partition (bounded by the caller's choice of partition), in key order; none before the table exists. */
  async *rows(
    partitionKey: string,
    options: { from?: string; to?: string; filter?: string; select?: readonly string[]; pageSize?: number } = {},
  ): AsyncIterable<TableEntityResult<Record<string, unknown>>> {
    try {
      for await (const page of this.pages(partitionKey, options)) yield* page;
    } catch (error) {
      // A generator cannot hand its loop to readOr404: the same reading, inline.
      if (!isNotFound(error)) throw error;
    }
  }

  /** The sweep's view of one subscription: one narrow row per VM, without the aggregate. */
  async *projections(subscriptionId: string): AsyncIterable<SweepProjection> {
    for await (const row of this.rows(projectionPartition(subscriptionId), { to: AGGREGATE_ROW, select: SWEEP_COLUMNS })) {
      const parsed = sweepProjection.safeParse(row);
      if (parsed.success) yield parsed.data;
    }
  }

  /** The aggregate row of the VM's subscription. */
  aggregateOf(vmKey: string): Promise<AggregateRow | null> {
    return this.getRow(projectionPartition(subscriptionOfVmKey(vmKey)), AGGREGATE_ROW, aggregateRow);
  }

  async projection(vmKey: string): Promise<ProjectionRow | null> {
    return this.getRow(projectionPartition(subscriptionOfVmKey(vmKey)), vmKey, projectionRow);
  }

  async subscriptions(): Promise<string[]> {
    const ids: string[] = [];
    for await (const row of this.rows(SUBSCRIPTIONS_PARTITION)) ids.push(String(row.rowKey));
    return ids;
  }

  async totals(subscriptionId: string): Promise<Contribution> {
    const row = await this.getRow(projectionPartition(subscriptionId), AGGREGATE_ROW, aggregateRow);
    return row ? { ...NO_CONTRIBUTION, ...(JSON.parse(row.totals) as Contribution) } : NO_CONTRIBUTION;
  }

  /** VM ids a link partition (protected item, policy, name) points to. */
  async vmIdsIn(partitionKey: string): Promise<{ vmKey: string; vmId: string }[]> {
    const found: { vmKey: string; vmId: string }[] = [];
    for await (const row of this.rows(partitionKey)) found.push({ vmKey: String(row.rowKey), vmId: String(row.vmId) });
    return found;
  }

  async markDirty(vmKey: string, mark: { vmId: string; policyId?: string; cause: string; eventId: string; at: string }): Promise<void> {
    await this.ensureTable();
    await this.table.upsertEntity({ partitionKey: DIRTY_PARTITION, rowKey: vmKey, ...mark }, 'Replace');
  }

  /**
   * The marks, by key (a VM key, or `policy|…` for a changed policy), with the ETag of the mark (to clear exactly
   * that mark) and the VM or policy id.
   */
  async dirtyMarks(): Promise<Map<string, DirtyMark>> {
    const marks = new Map<string, DirtyMark>();
    for await (const row of this.rows(DIRTY_PARTITION)) {
      marks.set(String(row.rowKey), { etag: String(row.etag), vmId: String(row.vmId ?? ''), ...(row.policyId ? { policyId: String(row.policyId) } : {}) });
    }
    return marks;
  }
}

/**
 * The entry writes that bring the index from what `current` recorded to `desired`: upserts where the hash moved
 * (every entry with `rewrite`), deletes of what it recorded and the image no longer has.
 */
function entryChanges(
  entries: ReadonlyMap<string, IndexEntity>,
  desired: Record<string, string>,
  current: ProjectionRow | null,
  rewrite: boolean,
): { upserts: IndexEntity[]; deletes: string[] } {
  const previous = current ? (JSON.parse(current.indexKeys) as Record<string, string>) : {};
  const upserts: IndexEntity[] = [];
  for (const [key, entity] of entries) if (rewrite || previous[key] !== desired[key]) upserts.push(entity);
  return { upserts, deletes: Object.keys(previous).filter((key) => !(key in desired)) };
}

/** The index already reflects a later evaluation of this VM than `stored`. */
function isNewer(current: ProjectionRow | null, stored: StoredVm): boolean {
  return stored.summary !== null && current !== null && current.lastEvaluatedAt > stored.summary.lastEvaluatedAt;
}

function sameProjection(current: ProjectionRow, next: Omit<ProjectionRow, 'etag'>): boolean {
  const { etag: _etag, ...rest } = current;
  return JSON.stringify(Object.entries(rest).sort()) === JSON.stringify(Object.entries(next).sort());
}

export type { SweepProjection };
