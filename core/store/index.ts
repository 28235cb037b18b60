/**
 * The findings store's public face: everything outside core/store imports the store from here (the dependency rule
 * `store-through-its-index`). Table keys, the index's rows and the lifecycle planner stay inside, so the stored
 * layout (docs/storage-layout.md) can change without its callers knowing how a VM's rows are keyed.
 *
 * Callers take the narrowest role they need (roles.ts); FindingsStore.connect is the one way to make a store.
 */
export { FindingsStore, FINDINGS_TABLE, type ApplyResult, type InvalidAlert, type StoreConnection } from './findingsStore.js';
export { trigger, historyEntry, type Trigger, type Transition, type SummaryRow } from './rows.js';
export type { OutboxRow } from './outbox.js';
export { SkippedRows } from './skippedRows.js';
export { UnstorableVmError } from './storableLimits.js';
export { MAX_CLOCK_SKEW_MS } from './clockSkew.js';
export { findingsQuery, describeQueryError, type FindingsQuery } from './findingsQueryPlan.js';
export { findingsPageParameters, InvalidContinuationTokenError, type FindingView, type FleetSummary, type VmReport } from './findingsReads.js';
export { fleetSummary, getVmReport, queryFindings } from './queryFunctions.js';
export type { AlertOutbox, ExemptionRecords, FindingQueries, PreparedWrite, SweepState, VmEvaluations } from './roles.js';
export type { AuditEntry } from './exemptionStore.js';
export { DEFAULT_RETENTION_DAYS, purgeExpired, type PurgeReport } from './retention.js';
export { migrateStore, type MigrationReport } from './migrate.js';
export type { DirtyMark, SweepProjection } from './fleetIndex.js';
export type { SweepMark } from './metaRows.js';
export { rankedRules, rankedSubscriptions, type RuleRank, type SubscriptionRank } from './fleetRankings.js';
export { recentChanges, MAX_CHANGES, type ChangeView } from './recentChanges.js';
export { listVms, vmListQuery, vmPageParameters, VM_PAGE_SIZE, type VmListItem, type VmListQuery } from './vmListing.js';
