import { RestError, TableClient, type TableServiceClientOptions, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import type { Evaluation } from '../matrix/evaluate.js';
import { afterPlan, planDeletion, planEvaluation, type EvaluationInput, type LifecyclePlan, type StoredVm } from './planLifecycle.js';
import { OUTBOX_ROW_PREFIX, outboxRow, type OutboxRow } from './outbox.js';
import { findingRow, summaryRow, type FindingRow, type SummaryRow, type Trigger } from './rows.js';
import {
  alertIndexPartition,
  DIRTY_PARTITION,
  policyDirtyKey,
  FINDING_ROW_PREFIX,
  itemIndexPartition,
  META_PARTITION,
  policyIndexPartition,
  SUMMARY_ROW,
  vmPartitionKey,
} from './tableKeys.js';
import { FleetIndex, type DirtyMark, type SweepProjection } from './fleetIndex.js';
import { sweepMark, SWEEP_MARK_ROW, type SweepMark } from './metaRows.js';
import type { AlertOutbox, ApplyResult, ExemptionRecords, FindingQueries, InvalidAlert, PreparedWrite, SweepState, VmEvaluations } from './roles.js';
import type { IndexedStore, IndexPointer } from './indexedStore.js';
import { fleetSummary, getVmReport, queryFindings } from './findingsReads.js';
import { ExemptionStore, storedExemptions } from './exemptionStore.js';
import type { FindingsQuery } from './findingsQueryPlan.js';
import type { ExemptionContext } from '../exemptions/applyExemptions.js';
import { idKey } from '../armModel/armId.js';
import { alertEntry, entryKey, settledAlertExpiry } from './indexImage.js';
import { forEachLimited } from '../platform/concurrency.js';
import { SkippedRows } from './skippedRows.js';
import { ignoreNotFound } from './notFound.js';
import { fittedEvaluation, MAX_KEY_CHARS, UnstorableVmError } from './storableLimits.js';
import { callTimeoutPolicy } from '../platform/callDeadline.js';
import type { z } from 'zod';

import { FINDINGS_TABLE } from './tableName.js';

export type { IndexPointer };

export { FINDINGS_TABLE };

/** How a store is reached: a connection string (Azurite, keys), or a table service URI with a managed identity. */
export type StoreConnection = { connectionString: string } | { tableServiceUri: string; credential: TokenCredential };

export type { ApplyResult, InvalidAlert };

/** Concurrent evaluations of one VM (a burst of events) each win one round; enough rounds for a burst of ~10. */
const MAX_ATTEMPTS = 12;
const READ_CONCURRENCY = 16;
/** Table Storage's own server-side limit for an operation is 30 s; a try waits no longer than that. */
export const TABLE_TRY_TIMEOUT_MS = 30_000;

/**
 * Findings in Azure Table Storage. One partition per VM, the truth: every evaluation is one entity-group transaction
 * (summary row + changed finding rows + alert intent), guarded by the summary row's ETag: two evaluations of one VM
 * racing each other cannot interleave — the loser re-reads and re-plans. A failure mid-way writes nothing. After
 * the commit, the index partitions (`ix.*`, see docs/storage-layout.md) are brought in line with the partition, so
 * every read path reads what its answer needs, not the table.
 */
export class FindingsStore implements VmEvaluations, SweepState, FindingQueries, AlertOutbox, ExemptionRecords, IndexedStore {
  private ready: Promise<void> | null = null;
  /** The derived side: pointers, projections, aggregates, dirty marks, expiry (see fleetIndex.ts). */
  readonly index: FleetIndex;

  private constructor(readonly table: TableClient) {
    this.index = new FleetIndex(table, () => this.ensureTable());
  }

  /**
   * `options` reaches the TableClient: tests and the bench add pipeline policies (fault injection, row counting).
   * Every try gets a timeout and the caller's deadline (callDeadline.ts): a storage call never waits forever.
   */
  static connect(
    connection: StoreConnection,
    tableName = FINDINGS_TABLE,
    { tryTimeoutMs = TABLE_TRY_TIMEOUT_MS, ...clientOptions }: TableServiceClientOptions & { tryTimeoutMs?: number } = {},
  ): FindingsStore {
    const options: TableServiceClientOptions = {
      ...clientOptions,
      additionalPolicies: [{ policy: callTimeoutPolicy(tryTimeoutMs), position: 'perRetry' }, ...(clientOptions.additionalPolicies ?? [])],
    };
    if ('connectionString' in connection) {
      const insecure = /^DefaultEndpointsProtocol=http;|TableEndpoint=http:\/\/|UseDevelopmentStorage=true/i.test(connection.connectionString);
      return new FindingsStore(TableClient.fromConnectionString(connection.connectionString, tableName, { allowInsecureConnection: insecure, ...options }));
    }
    return new FindingsStore(new TableClient(`${connection.tableServiceUri.replace(/\/$/, '')}`, tableName, connection.credential, options));
  }

  /** Creates the table on first use (idempotent). */
  private ensureTable(): Promise<void> {
    this.ready ??= this.table.createTable().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  /** Reads never create the table (a reader-only identity may not): no table yet means no rows yet. */
  async readVm(vmId: string, skipped?: SkippedRows): Promise<StoredVm> {
    return this.readPartition(vmPartitionKey(vmId), skipped);
  }

  activeExemptions(now: string): Promise<ExemptionContext> {
    return storedExemptions(this, now);
  }

  listExemptions() {
    return new ExemptionStore(this).list();
  }

  putExemption(input: unknown, by: string, now: string) {
    return new ExemptionStore(this).put(input, by, now);
  }

  removeExemption(id: string, by: string, now: string) {
    return new ExemptionStore(this).remove(id, by, now);
  }

  exemptionAudit() {
    return new ExemptionStore(this).auditTrail();
  }

  /** One page of findings (findingsReads.ts): pointers from the index, each confirmed in its VM's partition. */
  findings(query: FindingsQuery, page: { pageSize?: number; continuationToken?: string } = {}, skipped = new SkippedRows()) {
    return queryFindings(this, query, page, skipped);
  }

  vmReport(vmId: string, skipped = new SkippedRows()) {
    return getVmReport(this, vmId, skipped);
  }

  fleetSummary(query: { subscription?: string } = {}) {
    return fleetSummary(this, query);
  }

  /** A VM's summary row alone (one point read): what an event asks before it marks the VM dirty. */
  vmSummary(vmId: string): Promise<SummaryRow | null> {
    return this.index.getRow(vmPartitionKey(vmId), SUMMARY_ROW, summaryRow);
  }

  /** A VM's partition: summary, findings and alert intents (a legacy dirty row is left to migration). */
  /** A row that fails validation is left out and counted in `skipped` (see skippedRows.ts). */
  async readPartition(partition: string, skipped = new SkippedRows()): Promise<StoredVm> {
    let summary: SummaryRow | null = null;
    const findings = new Map<string, FindingRow>();
    const outbox: OutboxRow[] = [];
    for await (const entity of this.index.rows(partition)) {
      if (entity.rowKey === SUMMARY_ROW) summary = skipped.parse(summaryRow, entity);
      else if (entity.rowKey?.startsWith(FINDING_ROW_PREFIX)) {
        const row = skipped.parse(findingRow, entity);
        if (row) findings.set(row.ruleId, row);
      } else if (entity.rowKey?.startsWith(OUTBOX_ROW_PREFIX)) {
        const row = skipped.parse(outboxRow, entity);
        if (row) outbox.push(row);
      }
    }
    return { summary, findings, outbox };
  }

  /**
   * Starts the store reads an evaluation of this VM will begin with (its partition and its index projection), so they
   * overlap the ARM reads: hand it to applyEvaluation or applyDeletion. Both are guarded by ETags when written, so
   * reading them early costs at most a retry when another evaluation of the VM commits in between.
   */
  prepareWrite(vmId: string): PreparedWrite {
    const partition = vmPartitionKey(vmId);
    const stored = this.readPartition(partition);
    // A VM with no summary yet has no projection either (one left by a retention run that stopped half-way makes
    // the projection's create fail with 409, and the sync's retry reads it): one request fewer for a VM seen first.
    const projection = stored.then((read) => (read.summary === null ? null : this.index.projection(partition)));
    // A VM seen first adds to its subscription's counts, so its sync reads the aggregate: read it now, while ARM is
    // read, not among the index writes. Its ETag guards the commit, so a read that another VM's sync made stale
    // costs a retry. A VM seen before may change no count, and then needs no aggregate: it reads it when it does.
    const aggregate = stored.then(async (read) => (read.summary === null ? { row: await this.index.aggregateOf(partition) } : null));
    // Awaited later, or never (the read failed, or the VM is skipped): a rejection here is not unhandled.
    for (const read of [stored, projection, aggregate]) read.catch(() => undefined);
    return { partition, stored, projection, aggregate };
  }

  /** Stores one evaluation of one VM: lifecycle, counts, history. Returns what changed (for alerts). */
  applyEvaluation(evaluation: Evaluation, context: Omit<EvaluationInput, 'evaluation'> & { prepared?: PreparedWrite }): Promise<ApplyResult> {
    if (vmPartitionKey(evaluation.vmId).length > MAX_KEY_CHARS)
      return Promise.reject(new UnstorableVmError(evaluation.vmName, 'its id is longer than a table key may be (1 KiB)'));
    const { prepared, ...input } = context;
    const fitted = fittedEvaluation(evaluation);
    return this.withRetries(evaluation.vmId, (stored) => planEvaluation(stored, { evaluation: fitted, ...input }), prepared);
  }

  /** The VM is gone: its open findings resolve with reason `vm-deleted`; its rows stay as history. */
  applyDeletion(vmId: string, context: { observedAt: string; trigger: Trigger; now: string; prepared?: PreparedWrite }): Promise<ApplyResult> {
    const { prepared, ...input } = context;
    return this.withRetries(vmId, (stored) => planDeletion(stored, { vmId, ...input }), prepared);
  }

  private async withRetries(vmId: string, plan: (stored: StoredVm) => LifecyclePlan | null, prepared?: PreparedWrite): Promise<ApplyResult> {
    const partition = vmPartitionKey(vmId);
    // Reads prepared for another VM are not this one's.
    const ahead = prepared?.partition === partition ? prepared : undefined;
    for (let attempt = 1; ; attempt++) {
      // The first attempt takes the reads made ahead; a retry reads again (they were stale: that is why it retries).
      const stored = await (attempt === 1 && ahead ? ahead.stored : this.readVm(vmId));
      const aheadReads = attempt === 1 && ahead ? { projection: ahead.projection, aggregate: ahead.aggregate } : {};
      const planned = plan(stored);
      if (planned === null || planned.stale) {
        // Nothing to write; the index may still lag this partition (a crash after an earlier commit): repair it.
        await this.index.sync(partition, stored, aheadReads);
        return { written: false, stale: planned !== null, transitions: [] };
      }
      try {
        await this.write(planned, stored.summary !== null);
      } catch (error) {
        // 412: another evaluation changed the summary since we read it; 409: it created it first. Re-read, re-plan.
        const status = error instanceof RestError ? error.statusCode : undefined;
        if ((status === 412 || status === 409) && attempt < MAX_ATTEMPTS) {
          // A little random wait spreads the contenders out, so each round has one clear winner.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
          continue;
        }
        throw error;
      }
      // The partition is the truth and is committed; the index follows it (a failure here is repaired later).
      await this.index.sync(partition, afterPlan(stored, planned), aheadReads);
      return { written: true, stale: false, transitions: planned.transitions };
    }
  }

  private async write(plan: LifecyclePlan, summaryExists: boolean): Promise<void> {
    await this.ensureTable();
    const { etag, ...summary } = plan.summary;
    const actions: TransactionAction[] = [
      summaryExists ? ['update', summary as TableEntity, 'Replace', { etag: etag ?? '*' }] : ['create', summary as TableEntity],
      ...plan.findings.map((row): TransactionAction => ['upsert', row as TableEntity, 'Replace']),
      // The alert intent commits with the evaluation that caused it, or not at all.
      ...(plan.outbox ? [['upsert', plan.outbox as TableEntity, 'Replace'] as TransactionAction] : []),
    ];
    await this.table.submitTransaction(actions);
  }

  /**
   * A disk or NIC of the VM changed (an event that is not a VM write): the drift sweep re-evaluates it soon.
   * One small row in the dirty partition; the VM's own partition is not touched, so this never races an evaluation.
   */
  async markDirty(vmId: string, reason: { cause: string; eventId?: string; at: string }): Promise<void> {
    await this.index.markDirty(vmPartitionKey(vmId), { vmId, cause: reason.cause, eventId: reason.eventId ?? '', at: reason.at });
  }

  /** A backup policy changed: its VMs are re-evaluated by the next sweep (which expands the mark through the policy's links). */
  async markPolicyDirty(policyId: string, reason: { eventId?: string; at: string }): Promise<void> {
    await this.index.markDirty(policyDirtyKey(policyId), { vmId: '', policyId, cause: policyId, eventId: reason.eventId ?? '', at: reason.at });
  }

  /**
   * The dirty marks, keyed by the id key (idKey) of the VM or policy marked, with the ETag of the mark (to clear
   * exactly that mark): a VM's mark names its VM, a policy's its policy (and no VM).
   */
  async dirtyMarks(): Promise<Map<string, DirtyMark>> {
    const marks = new Map<string, DirtyMark>();
    for (const mark of (await this.index.dirtyMarks()).values()) marks.set(idKey(mark.vmId || mark.policyId || ''), mark);
    return marks;
  }

  /** Clears a VM's dirty mark after it was re-evaluated; a mark set again since (another ETag) stays. */
  async clearDirty(vmId: string, etag: string): Promise<void> {
    await this.index.deleteIfPresent(DIRTY_PARTITION, vmPartitionKey(vmId), etag);
  }

  /** Clears a policy's dirty mark once the sweep re-evaluated the VMs it links to (ETag as clearDirty). */
  async clearPolicyDirty(policyId: string, etag: string): Promise<void> {
    await this.index.deleteIfPresent(DIRTY_PARTITION, policyDirtyKey(policyId), etag);
  }

  async isDirty(vmId: string): Promise<boolean> {
    return (await this.index.getRow(DIRTY_PARTITION, vmPartitionKey(vmId), { parse: (row: unknown) => row })) !== null;
  }

  /** The subscriptions the store has seen (lower-cased): the sweep's scope when it is given none. */
  subscriptions(): Promise<string[]> {
    return this.index.subscriptions();
  }

  /** One narrow row per VM of a subscription (what the sweep compares ARM with); never the findings. */
  projections(subscriptionId: string): AsyncIterable<SweepProjection> {
    return this.index.projections(subscriptionId);
  }

  /** One VM's projection (a point read), or null when the store has never indexed it. */
  projectionOf(vmId: string): Promise<SweepProjection | null> {
    return this.index.projection(vmPartitionKey(vmId));
  }

  /** The last complete sweep's mark (see core/sweep/sweepMark.ts), or null before the first. */
  sweepMark(): Promise<SweepMark | null> {
    return this.index.getRow(META_PARTITION, SWEEP_MARK_ROW, sweepMark);
  }

  async saveSweepMark(mark: SweepMark): Promise<void> {
    await this.index.putEntry({ partitionKey: META_PARTITION, rowKey: SWEEP_MARK_ROW, ...mark });
  }

  /** The VMs whose summary links them to a protected item or a policy (ids compared lower-cased): one partition. */
  async vmsLinkedTo(link: { protectedItemId?: string; policyId?: string }): Promise<string[]> {
    const partition = link.protectedItemId ? itemIndexPartition(link.protectedItemId) : policyIndexPartition(link.policyId ?? '');
    return (await this.index.vmIdsIn(partition)).map((v) => v.vmId);
  }

  /** Repairs one VM's index from its partition (a stale index entry was met). */
  async reindex(partition: string, options: { rewrite?: boolean } = {}): Promise<void> {
    await this.index.sync(partition, await this.readPartition(partition), options);
  }

  /**
   * Pointers a read found that their VM's partition does not bear out. A sync alone would not remove them: it deletes
   * only keys a projection recorded, and a crash between writing entries and the projection leaves entries none
   * records. So each goes by itself (ETag-guarded: a pointer rewritten since the read stays), then each VM is synced
   * with every entry rewritten, which puts back any of them the partition does want. Best effort: a reader-only
   * identity cannot write, and the next evaluation or sweep repairs.
   */
  async dropStalePointers(pointers: readonly { partitionKey: string; rowKey: string; etag: string; vmKey: string }[]): Promise<void> {
    try {
      await forEachLimited(pointers, READ_CONCURRENCY, (p) => this.index.deleteIfPresent(p.partitionKey, p.rowKey, p.etag));
      for (const vmKey of new Set(pointers.map((p) => p.vmKey))) await this.reindex(vmKey, { rewrite: true });
    } catch {
      // Left for the next evaluation or sweep (see above).
    }
  }

  /**
   * Alert intents due for delivery (pending, next attempt not in the future): a key range of the pending index, so
   * a run with nothing due reads nothing. Each is confirmed against its VM's partition, the truth; an entry that
   * disagrees is repaired and left out.
   */
  async dueAlerts(now: string, limit: number, skipped = new SkippedRows()): Promise<OutboxRow[]> {
    const pending = alertIndexPartition('pending');
    const pointers: IndexPointer[] = [];
    for await (const entity of this.index.rows(pending, { to: `${now}}` })) {
      pointers.push(entity);
      if (pointers.length >= limit) break;
    }
    const unreadable: { pointer: IndexPointer; etag: string }[] = [];
    const rows = await this.confirmAlerts(
      pointers,
      (row) => row.state === 'pending' && row.nextAttemptAt <= now,
      skipped,
      (pointer, etag) => unreadable.push({ pointer, etag }),
    );
    for (const { pointer, etag } of unreadable) await this.quarantineAlert(pointer, etag, now);
    return rows;
  }

  /**
   * An intent that cannot be read is set aside (state `invalid`), so it is not met again by every delivery run and
   * is shown by `alerts list` and /api/alerts. Only `state` is merged in: the rest of the row stays for a person.
   * ETag-guarded: a row rewritten since it was read is left for the next run to look at again.
   */
  private async quarantineAlert(pointer: IndexPointer, etag: string, now: string): Promise<void> {
    const vmKey = String(pointer.vmKey);
    const rowKey = String(pointer.outboxRowKey);
    const updated = await ignoreNotFound(
      () => this.table.updateEntity({ partitionKey: vmKey, rowKey, state: 'invalid', quarantinedAt: now }, 'Merge', { etag }),
      { orChanged: true },
    );
    if (!updated) return;
    await this.index.putEntry({ partitionKey: alertIndexPartition('invalid'), rowKey: `${now}|${vmKey}|${rowKey}`, vmKey, outboxRowKey: rowKey });
    await this.index.deleteIfPresent(String(pointer.partitionKey), String(pointer.rowKey));
  }

  /** Quarantined intents (see quarantineAlert): their keys and VM, not their content, which is what failed to read. */
  async invalidAlerts(): Promise<InvalidAlert[]> {
    const found: InvalidAlert[] = [];
    for await (const pointer of this.index.rows(alertIndexPartition('invalid'))) {
      const row = await this.index.getRow(String(pointer.vmKey), String(pointer.outboxRowKey), { parse: (v: unknown) => v as Record<string, unknown> });
      if (row?.state !== 'invalid') continue;
      found.push({
        state: 'invalid',
        vmKey: String(pointer.vmKey),
        rowKey: String(pointer.outboxRowKey),
        vmId: typeof row.vmId === 'string' ? row.vmId : null,
        quarantinedAt: String(row.quarantinedAt ?? ''),
      });
    }
    return found;
  }

  /** Alert intents in a state, or all (for the API and CLI: failed deliveries must be visible). */
  async alerts(state: OutboxRow['state'] | 'all', skipped = new SkippedRows()): Promise<OutboxRow[]> {
    const states = state === 'all' ? (['pending', 'delivered', 'failed'] as const) : [state];
    const rows: OutboxRow[] = [];
    for (const s of states) {
      const pointers: IndexPointer[] = [];
      for await (const entity of this.index.rows(alertIndexPartition(s))) pointers.push(entity);
      rows.push(...(await this.confirmAlerts(pointers, (row) => row.state === s, skipped)));
    }
    return rows;
  }

  private async confirmAlerts(
    pointers: readonly IndexPointer[],
    holds: (row: OutboxRow) => boolean,
    skipped: SkippedRows,
    onInvalid?: (pointer: IndexPointer, etag: string) => void,
  ): Promise<OutboxRow[]> {
    const confirmed = await this.confirm(pointers, (p) => String(p.outboxRowKey), outboxRow, holds, skipped, onInvalid);
    return confirmed.map(({ pointer, row }) => ({ ...row, indexKey: `${pointer.partitionKey}\n${pointer.rowKey}` }));
  }

  /**
   * Point-reads the rows index pointers name, in pointer order, and keeps those the truth bears out (`holds`); the
   * others are dropped and their VMs' indexes repaired (best effort). Every read through the index ends here.
   * A row that exists but fails validation is not stale, only unreadable: skipped, counted, its pointer kept.
   */
  async confirm<T>(
    pointers: readonly IndexPointer[],
    rowKeyOf: (pointer: IndexPointer) => string,
    schema: z.ZodType<T>,
    holds: (row: T, pointer: IndexPointer) => boolean,
    skipped = new SkippedRows(),
    onInvalid?: (pointer: IndexPointer, etag: string) => void,
  ): Promise<{ pointer: IndexPointer; row: T }[]> {
    const found = new Array<{ pointer: IndexPointer; row: T } | null>(pointers.length).fill(null);
    const stale: { partitionKey: string; rowKey: string; etag: string; vmKey: string }[] = [];
    await forEachLimited([...pointers.keys()], READ_CONCURRENCY, async (i) => {
      const pointer = pointers[i]!;
      const vmKey = String(pointer.vmKey);
      const raw = await this.index.getRow(vmKey, rowKeyOf(pointer), { parse: (v: unknown) => v as Record<string, unknown> });
      const row = raw ? skipped.parse(schema, raw) : null;
      if (raw && row === null) return onInvalid?.(pointer, String(raw.etag));
      if (row && holds(row, pointer)) found[i] = { pointer, row };
      else stale.push({ partitionKey: String(pointer.partitionKey), rowKey: String(pointer.rowKey), etag: String(pointer.etag), vmKey });
    });
    await this.dropStalePointers(stale);
    return found.filter((f): f is { pointer: IndexPointer; row: T } => f !== null);
  }

  /**
   * Saves a delivery's progress on an intent, guarded by its ETag (two deliverers never both send it), and moves its
   * index entry. Returns the saved row (with its new ETag), or null when another deliverer got there first.
   */
  async saveAlert(row: OutboxRow): Promise<OutboxRow | null> {
    const { etag, indexKey, ...entity } = row;
    let saved: Awaited<ReturnType<typeof this.table.updateEntity>>;
    try {
      saved = await this.table.updateEntity(entity as TableEntity, 'Replace', { etag: etag ?? '*' });
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 412) return null;
      throw error;
    }
    const next = alertEntry(entity);
    // New entry first, then the old one goes: a crash in between leaves an extra pointer, which reads confirm away.
    await this.index.putEntry(next);
    // Settled now: retention must find it even if the VM is never evaluated (synced) again.
    const expiry = settledAlertExpiry(entity);
    if (expiry) await this.index.putEntry(expiry);
    if (indexKey && indexKey !== entryKey(next)) {
      const [partitionKey, rowKey] = indexKey.split('\n') as [string, string];
      await this.index.deleteIfPresent(partitionKey, rowKey);
    }
    return { ...entity, ...(saved.etag ? { etag: saved.etag } : {}), indexKey: entryKey(next) };
  }
}
