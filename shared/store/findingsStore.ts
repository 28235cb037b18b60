import { odata, RestError, TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import type { Evaluation } from '../matrix/evaluate.js';
import { planDeletion, planEvaluation, type EvaluationInput, type LifecyclePlan, type StoredVm, type Transition } from './planLifecycle.js';
import { OUTBOX_ROW_END, OUTBOX_ROW_PREFIX, outboxRow, type OutboxRow } from './outbox.js';
import { findingRow, summaryRow, type FindingRow, type SummaryRow, type Trigger } from './rows.js';
import { DIRTY_ROW, FINDING_ROW_END, FINDING_ROW_PREFIX, SUMMARY_ROW, vmPartitionKey } from './tableKeys.js';

export const FINDINGS_TABLE = 'vmbackupguardfindings';

/** How a store is reached: a connection string (Azurite, keys), or a table service URI with a managed identity. */
export type StoreConnection = { connectionString: string } | { tableServiceUri: string; credential: TokenCredential };

export interface ApplyResult {
  written: boolean;
  stale: boolean;
  transitions: Transition[];
}

/** Concurrent evaluations of one VM (a burst of events) each win one round; enough rounds for a burst of ~10. */
const MAX_ATTEMPTS = 12;

/**
 * Findings in Azure Table Storage. One partition per VM; every evaluation is one entity-group transaction (summary
 * row + changed finding rows), guarded by the summary row's ETag: two evaluations of one VM racing each other
 * cannot interleave — the loser re-reads and re-plans. A failure mid-way writes nothing.
 */
export class FindingsStore {
  private ready: Promise<void> | null = null;

  private constructor(private readonly table: TableClient) {}

  static connect(connection: StoreConnection, tableName = FINDINGS_TABLE): FindingsStore {
    if ('connectionString' in connection) {
      const insecure = /^DefaultEndpointsProtocol=http;|TableEndpoint=http:\/\/|UseDevelopmentStorage=true/i.test(connection.connectionString);
      return new FindingsStore(TableClient.fromConnectionString(connection.connectionString, tableName, { allowInsecureConnection: insecure }));
    }
    return new FindingsStore(new TableClient(`${connection.tableServiceUri.replace(/\/$/, '')}`, tableName, connection.credential));
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
  async readVm(vmId: string): Promise<StoredVm> {
    const partition = vmPartitionKey(vmId);
    let summary: SummaryRow | null = null;
    const findings = new Map<string, FindingRow>();
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } })) {
        if (entity.rowKey === SUMMARY_ROW) summary = summaryRow.parse(entity);
        else if (entity.rowKey?.startsWith(FINDING_ROW_PREFIX)) {
          const row = findingRow.parse(entity);
          findings.set(row.ruleId, row);
        }
      }
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
    return { summary, findings };
  }

  /** Stores one evaluation of one VM: lifecycle, counts, history. Returns what changed (for alerts). */
  applyEvaluation(evaluation: Evaluation, context: Omit<EvaluationInput, 'evaluation'>): Promise<ApplyResult> {
    return this.withRetries(evaluation.vmId, (stored) => planEvaluation(stored, { evaluation, ...context }));
  }

  /** The VM is gone: its open findings resolve with reason `vm-deleted`; its rows stay as history. */
  applyDeletion(vmId: string, context: { observedAt: string; trigger: Trigger; now: string }): Promise<ApplyResult> {
    return this.withRetries(vmId, (stored) => planDeletion(stored, { vmId, ...context }));
  }

  private async withRetries(vmId: string, plan: (stored: StoredVm) => LifecyclePlan | null): Promise<ApplyResult> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.readVm(vmId);
      const planned = plan(stored);
      if (planned === null) return { written: false, stale: false, transitions: [] };
      if (planned.stale) return { written: false, stale: true, transitions: [] };
      try {
        await this.write(planned, stored.summary !== null);
        return { written: true, stale: false, transitions: planned.transitions };
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
   * One small row in the VM's partition; the summary's ETag is not involved, so this never races an evaluation.
   */
  async markDirty(vmId: string, reason: { cause: string; eventId?: string; at: string }): Promise<void> {
    await this.ensureTable();
    await this.table.upsertEntity({ partitionKey: vmPartitionKey(vmId), rowKey: DIRTY_ROW, vmId, cause: reason.cause, eventId: reason.eventId ?? '', at: reason.at }, 'Replace');
  }

  /** The VMs marked dirty, by partition key, with the ETag of their mark (to clear exactly that mark). */
  async dirtyMarks(): Promise<Map<string, string>> {
    const marks = new Map<string, string>();
    try {
      for await (const row of this.table.listEntities({ queryOptions: { filter: odata`RowKey eq ${DIRTY_ROW}` } })) marks.set(String(row.partitionKey), String(row.etag));
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
    return marks;
  }

  /** Clears a dirty mark after the VM was re-evaluated; a mark set again since (another ETag) stays. */
  async clearDirty(partitionKey: string, etag: string): Promise<void> {
    try {
      await this.table.deleteEntity(partitionKey, DIRTY_ROW, { etag });
    } catch (error) {
      if (!(error instanceof RestError && (error.statusCode === 404 || error.statusCode === 412))) throw error;
    }
  }

  /** Every VM summary (for the sweep's comparison), validated; rows of older versions get defaults. */
  async summaries(): Promise<Map<string, SummaryRow>> {
    const rows = new Map<string, SummaryRow>();
    try {
      for await (const entity of this.listSummaryRows('')) {
        const row = summaryRow.safeParse(entity);
        if (row.success) rows.set(row.data.partitionKey, row.data);
      }
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
    return rows;
  }

  async isDirty(vmId: string): Promise<boolean> {
    await this.ensureTable();
    try {
      await this.table.getEntity(vmPartitionKey(vmId), DIRTY_ROW);
      return true;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return false;
      throw error;
    }
  }

  /** The VMs whose summary links them to a protected item or a policy (ids compared lower-cased). */
  async vmsLinkedTo(link: { protectedItemId?: string; policyId?: string }): Promise<string[]> {
    await this.ensureTable();
    const filter = link.protectedItemId ? odata`protectedItemId eq ${link.protectedItemId.toLowerCase()}` : odata`policyId eq ${(link.policyId ?? '').toLowerCase()}`;
    const ids: string[] = [];
    for await (const row of this.listSummaryRows(filter)) if (typeof row.vmId === 'string') ids.push(row.vmId);
    return ids;
  }

  /** Alert intents due for delivery (pending, next attempt not in the future), oldest first within a VM. */
  async dueAlerts(now: string, limit: number): Promise<OutboxRow[]> {
    const due: OutboxRow[] = [];
    try {
      const filter = odata`RowKey ge ${OUTBOX_ROW_PREFIX} and RowKey lt ${OUTBOX_ROW_END} and state eq ${'pending'} and nextAttemptAt le ${now}`;
      for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
        due.push(outboxRow.parse(entity));
        if (due.length >= limit) break;
      }
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
    return due;
  }

  /** Alert intents in any state (for the API and CLI: failed deliveries must be visible). */
  async alerts(state: OutboxRow['state'] | 'all'): Promise<OutboxRow[]> {
    const rows: OutboxRow[] = [];
    const range = odata`RowKey ge ${OUTBOX_ROW_PREFIX} and RowKey lt ${OUTBOX_ROW_END}`;
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter: state === 'all' ? range : `${range} and ${odata`state eq ${state}`}` } })) rows.push(outboxRow.parse(entity));
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
    return rows;
  }

  /** Saves a delivery's progress on an intent, guarded by its ETag (two deliverers never both send it). Returns false when another got there first. */
  async saveAlert(row: OutboxRow): Promise<boolean> {
    const { etag, ...entity } = row;
    try {
      await this.table.updateEntity(entity as TableEntity, 'Replace', { etag: etag ?? '*' });
      return true;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 412) return false;
      throw error;
    }
  }

  /** Every row of the findings table matching an OData filter built with the `odata` template (never concatenated input). */
  listFindingRows(filter: string, options: { pageSize: number; continuationToken?: string }) {
    return this.table.listEntities({ queryOptions: { filter: odata`RowKey ge ${FINDING_ROW_PREFIX} and RowKey lt ${FINDING_ROW_END}` + (filter ? ` and (${filter})` : '') } }).byPage({ maxPageSize: options.pageSize, continuationToken: options.continuationToken });
  }

  listSummaryRows(filter: string) {
    return this.table.listEntities({ queryOptions: { filter: odata`RowKey eq ${SUMMARY_ROW}` + (filter ? ` and (${filter})` : '') } });
  }
}
