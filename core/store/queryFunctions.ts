import type { FindingView, FleetSummary, VmReport } from './findingsReads.js';
import type { FindingsQuery } from './findingsQueryPlan.js';
import type { FindingQueries } from './roles.js';
import { SkippedRows } from './skippedRows.js';

// The store's queries as functions of the FindingQueries role, as callers (the API, the CLI, the bench) call them:
// they hold the role, not the store, and findingsReads.ts (which needs the store's index) stays inside.

export function queryFindings(
  store: FindingQueries,
  query: FindingsQuery,
  page: { pageSize?: number; continuationToken?: string } = {},
  skipped = new SkippedRows(),
): Promise<{ items: FindingView[]; continuationToken: string | null; skippedRows: number }> {
  return store.findings(query, page, skipped);
}

export function getVmReport(store: FindingQueries, vmId: string, skipped = new SkippedRows()): Promise<VmReport | null> {
  return store.vmReport(vmId, skipped);
}

export function fleetSummary(store: FindingQueries, query: { subscription?: string } = {}): Promise<FleetSummary> {
  return store.fleetSummary(query);
}
