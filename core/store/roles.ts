import type { TableClient } from '@azure/data-tables';
import type { ExemptionContext } from '../exemptions/applyExemptions.js';
import type { Exemption } from '../exemptions/exemption.js';
import type { AuditEntry } from './exemptionStore.js';
import type { Evaluation } from '../matrix/evaluate.js';
import type { FindingView, FleetSummary, VmReport } from './findingsReads.js';
import type { FindingsQuery } from './findingsQueryPlan.js';
import type { DirtyMark, SweepProjection } from './fleetIndex.js';
import type { SweepMark } from './metaRows.js';
import type { OutboxRow } from './outbox.js';
import type { EvaluationInput, StoredVm } from './planLifecycle.js';
import type { AggregateRow, ProjectionRow } from './projection.js';
import type { SummaryRow, Transition, Trigger } from './rows.js';
import type { SkippedRows } from './skippedRows.js';

export interface ApplyResult {
  written: boolean;
  stale: boolean;
  transitions: Transition[];
}

/** An alert intent set aside because it cannot be read (see FindingsStore.quarantineAlert). */
export interface InvalidAlert {
  state: 'invalid';
  vmKey: string;
  rowKey: string;
  vmId: string | null;
  quarantinedAt: string;
}

/**
 * Store reads started before an evaluation (VmEvaluations.prepareWrite), for the write that follows it. Opaque to
 * callers: they only hand it back.
 */
export interface PreparedWrite {
  readonly partition: string;
  readonly stored: Promise<StoredVm>;
  readonly projection: Promise<ProjectionRow | null>;
  /** The subscription's aggregate, read ahead for a VM seen first (its counts certainly move); null when not read. */
  readonly aggregate: Promise<{ row: AggregateRow | null } | null>;
}

/**
 * What callers of the store do with it, one role each (docs/storage-layout.md, "Who uses the store how"). A caller
 * takes the narrowest role it needs; FindingsStore plays them all. Every role speaks in VM ids, never table keys.
 */

/** Storing what a VM's evaluation found: the event path, the sweep's worker, `check --store` and `scan --store`. */
export interface VmEvaluations {
  /** Starts the reads storing this VM's evaluation begins with, so they overlap the ARM reads (one live evaluation). */
  prepareWrite(vmId: string): PreparedWrite;
  applyEvaluation(evaluation: Evaluation, context: Omit<EvaluationInput, 'evaluation'> & { prepared?: PreparedWrite }): Promise<ApplyResult>;
  applyDeletion(vmId: string, context: { observedAt: string; trigger: Trigger; now: string; prepared?: PreparedWrite }): Promise<ApplyResult>;
  /** The exemptions an evaluation at `now` applies (cached for a minute per store). */
  activeExemptions(now: string): Promise<ExemptionContext>;
  vmSummary(vmId: string): Promise<SummaryRow | null>;
  markDirty(vmId: string, reason: { cause: string; eventId?: string; at: string }): Promise<void>;
  markPolicyDirty(policyId: string, reason: { eventId?: string; at: string }): Promise<void>;
  vmsLinkedTo(link: { protectedItemId?: string; policyId?: string }): Promise<string[]>;
  /** The VMs the store knows in a subscription: a lock event re-evaluates those under the lock (core/events/lockEvents.ts). */
  projections(subscriptionId: string): AsyncIterable<SweepProjection>;
  /** The table core/events keeps its coalescing marks in (`ix.coalesce.*`); that layout is its own. */
  readonly table: TableClient;
}

/** Comparing the fleet with what the store last evaluated: the full and the incremental sweep. */
export interface SweepState {
  subscriptions(): Promise<string[]>;
  projections(subscriptionId: string): AsyncIterable<SweepProjection>;
  projectionOf(vmId: string): Promise<SweepProjection | null>;
  dirtyMarks(): Promise<Map<string, DirtyMark>>;
  clearDirty(vmId: string, etag: string): Promise<void>;
  clearPolicyDirty(policyId: string, etag: string): Promise<void>;
  vmsLinkedTo(link: { protectedItemId?: string; policyId?: string }): Promise<string[]>;
  sweepMark(): Promise<SweepMark | null>;
  saveSweepMark(mark: SweepMark): Promise<void>;
}

/** Answering questions about findings and alerts: the findings API and the `findings` and `alerts` commands. */
export interface FindingQueries {
  findings(
    query: FindingsQuery,
    page?: { pageSize?: number; continuationToken?: string },
    skipped?: SkippedRows,
  ): Promise<{ items: FindingView[]; continuationToken: string | null; skippedRows: number }>;
  vmReport(vmId: string, skipped?: SkippedRows): Promise<VmReport | null>;
  fleetSummary(query?: { subscription?: string }): Promise<FleetSummary>;
  alerts(state: OutboxRow['state'] | 'all', skipped?: SkippedRows): Promise<OutboxRow[]>;
  invalidAlerts(): Promise<InvalidAlert[]>;
}

/** Keeping the exemptions people write (`ix.exemptions`, audited): the exemptions API and command. */
export interface ExemptionRecords {
  listExemptions(): Promise<Exemption[]>;
  /** Adds or replaces one (validated: unknown rule ids are refused); `by` and `now` become createdBy and createdAt. */
  putExemption(input: unknown, by: string, now: string): Promise<{ exemption: Exemption; created: boolean }>;
  /** false when there was none by that id. */
  removeExemption(id: string, by: string, now: string): Promise<boolean>;
  /** Who added, replaced or removed which exemption, oldest first. */
  exemptionAudit(): Promise<AuditEntry[]>;
}

/** Delivering alert intents (core/alerts; tests wrap it to die at chosen moments). */
export interface AlertOutbox {
  dueAlerts(now: string, limit: number): Promise<OutboxRow[]>;
  /** An ETag-guarded save; the saved row (with its new ETag), or null when another deliverer changed it first. */
  saveAlert(row: OutboxRow): Promise<OutboxRow | null>;
}
