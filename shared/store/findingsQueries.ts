import { odata, RestError } from '@azure/data-tables';
import { z } from 'zod';
import type { RestoreReadiness } from '../matrix/restore.js';
import { SEVERITY_RANK } from '../matrix/types.js';
import type { FindingsStore } from './findingsStore.js';
import { findingsFilter, type FindingsQuery } from './findingsQuery.js';
import { findingRow, summaryRow, type FindingRow, type HistoryEntry, type SummaryRow, type Trigger } from './rows.js';

/**
 * The read side of the findings store, shared by the HTTP API and the CLI: rows in, public JSON shapes out.
 * Every filter is built with the `odata` template (see findingsQuery.ts); nothing here concatenates input.
 */

export const PAGE_SIZE = { min: 1, max: 1000, default: 100 } as const;

/** Paging parameters as text (query string, command line): validated here so both front ends say the same thing. */
export const findingsPageParameters = z.object({
  pageSize: z
    .string()
    .refine((s) => /^\d{1,4}$/.test(s) && Number(s) >= PAGE_SIZE.min && Number(s) <= PAGE_SIZE.max, `must be a whole number from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}`)
    .transform(Number)
    .default(PAGE_SIZE.default),
  continuationToken: z.string().min(1, 'must not be empty').max(4096, 'is at most 4096 characters').optional(),
});

/** The table refused a continuation token (not one it issued, or damaged): the caller's input, not a storage failure. */
export class InvalidContinuationTokenError extends Error {
  constructor(cause: unknown) {
    super('the continuation token is not one this query issued', { cause });
    this.name = 'InvalidContinuationTokenError';
  }
}

export interface FindingView {
  vmId: string;
  vmName: string;
  subscriptionId: string;
  resourceGroup: string;
  ruleId: string;
  state: FindingRow['state'];
  outcome: FindingRow['outcome'];
  severity: FindingRow['severity'];
  message: string;
  evidence: Record<string, unknown>;
  citation: { section: string; row: string };
  edition: string;
  firstSeenAt: string;
  lastSeenAt: string;
  openedAt: string;
  resolvedAt?: string;
  resolvedReason?: string;
  reopenCount: number;
  /** The rule's page, which says why the matrix refuses this and how to fix it. */
  docs: string;
}

export function findingView(row: FindingRow): FindingView {
  return {
    vmId: row.vmId,
    vmName: row.vmName,
    subscriptionId: row.subscriptionId,
    resourceGroup: row.resourceGroup,
    ruleId: row.ruleId,
    state: row.state,
    outcome: row.outcome,
    severity: row.severity,
    message: row.message,
    evidence: JSON.parse(row.evidence) as Record<string, unknown>,
    citation: { section: row.citationSection, row: row.citationRow },
    edition: row.edition,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    openedAt: row.openedAt,
    ...(row.resolvedAt !== undefined ? { resolvedAt: row.resolvedAt } : {}),
    ...(row.resolvedReason !== undefined ? { resolvedReason: row.resolvedReason } : {}),
    reopenCount: row.reopenCount,
    docs: `docs/rules/${row.ruleId}.md`,
  };
}

/** The table is created by the first write: before that, a query finds nothing rather than failing. */
function isMissingTable(error: unknown): boolean {
  return error instanceof RestError && error.statusCode === 404;
}

/**
 * A service page may be empty yet carry a continuation token (Table Storage stops at partition boundaries and
 * time limits); skip a few such pages so callers rarely see an empty page that is not the last one. Bounded, so
 * one request never scans the whole table.
 */
const MAX_SERVICE_PAGES = 5;

/** One page of findings, in table order (VM, then rule); `continuationToken` is the table's own, opaque. */
export async function queryFindings(
  store: FindingsStore,
  query: FindingsQuery,
  page: { pageSize?: number; continuationToken?: string } = {},
): Promise<{ items: FindingView[]; continuationToken: string | null }> {
  const pages = store.listFindingRows(findingsFilter(query), { pageSize: page.pageSize ?? PAGE_SIZE.default, continuationToken: page.continuationToken });
  let token: string | null = null;
  for (let n = 0; n < MAX_SERVICE_PAGES; n++) {
    let next;
    try {
      next = await pages.next();
    } catch (error) {
      if (isMissingTable(error)) return { items: [], continuationToken: null };
      // The SDK decodes the token before sending it (SyntaxError/TypeError/Error), and the service answers 400 to
      // keys it cannot use; only the first request carries the caller's token, later ones carry the table's own.
      if (n === 0 && page.continuationToken && (!(error instanceof RestError) || error.statusCode === 400)) throw new InvalidContinuationTokenError(error);
      throw error;
    }
    if (next.done) break;
    token = next.value.continuationToken ?? null;
    if (next.value.length > 0 || token === null) return { items: next.value.map((e) => findingView(findingRow.parse(e))), continuationToken: token };
  }
  return { items: [], continuationToken: token };
}

export interface VmReport {
  vmId: string;
  vmName: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  edition: string;
  state: SummaryRow['state'];
  lastEvaluatedAt: string;
  lastTrigger: Trigger;
  open: { error: number; warning: number; info: number; unknown: number };
  restore: RestoreReadiness;
  findings: FindingView[];
  history: HistoryEntry[];
}

/** Open findings first, worst first; then resolved ones, most recently resolved first. */
function reportOrder(a: FindingRow, b: FindingRow): number {
  if (a.state !== b.state) return a.state === 'open' ? -1 : 1;
  if (a.state === 'open') return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId);
  return (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? '') || a.ruleId.localeCompare(b.ruleId);
}

/** Everything stored about one VM (id compared case-insensitively through the partition key); null if never evaluated. */
export async function getVmReport(store: FindingsStore, vmId: string): Promise<VmReport | null> {
  const { summary, findings } = await store.readVm(vmId);
  if (summary === null) return null;
  return {
    vmId: summary.vmId,
    vmName: summary.vmName,
    subscriptionId: summary.subscriptionId,
    resourceGroup: summary.resourceGroup,
    location: summary.location,
    edition: summary.edition,
    state: summary.state,
    lastEvaluatedAt: summary.lastEvaluatedAt,
    lastTrigger: JSON.parse(summary.lastTrigger) as Trigger,
    open: { error: summary.openErrors, warning: summary.openWarnings, info: summary.openInfo, unknown: summary.openUnknown },
    restore: JSON.parse(summary.restore) as RestoreReadiness,
    findings: [...findings.values()].sort(reportOrder).map(findingView),
    history: JSON.parse(summary.history || '[]') as HistoryEntry[],
  };
}

export interface FleetSummary {
  subscription: string | null;
  findings: {
    byState: { open: number; resolved: number };
    /** Open findings; an `unknown` outcome is stored with severity `info`, so it counts there (as `?severity=info` finds it). */
    bySeverity: Record<FindingRow['severity'], number>;
    /** Open findings per rule id, keys in rule-id order. */
    byRule: Record<string, number>;
  };
  vms: { total: number; withOpenErrors: number; deleted: number };
}

/** Counts over the whole fleet (or one subscription). Reads every finding and summary row in scope: a full scan. */
export async function fleetSummary(store: FindingsStore, query: { subscription?: string } = {}): Promise<FleetSummary> {
  const filter = query.subscription ? odata`subscriptionId eq ${query.subscription.toLowerCase()}` : '';
  const byState = { open: 0, resolved: 0 };
  const bySeverity = { error: 0, warning: 0, info: 0 };
  const byRule = new Map<string, number>();
  const vms = { total: 0, withOpenErrors: 0, deleted: 0 };
  try {
    for await (const page of store.listFindingRows(filter, { pageSize: PAGE_SIZE.max })) {
      for (const entity of page) {
        const row = findingRow.parse(entity);
        byState[row.state] += 1;
        if (row.state !== 'open') continue;
        bySeverity[row.severity] += 1;
        byRule.set(row.ruleId, (byRule.get(row.ruleId) ?? 0) + 1);
      }
    }
    for await (const entity of store.listSummaryRows(filter)) {
      const row = summaryRow.parse(entity);
      vms.total += 1;
      if (row.openErrors > 0) vms.withOpenErrors += 1;
      if (row.state === 'deleted') vms.deleted += 1;
    }
  } catch (error) {
    if (!isMissingTable(error)) throw error;
  }
  const rules = Object.fromEntries([...byRule].sort(([a], [b]) => a.localeCompare(b)));
  return { subscription: query.subscription?.toLowerCase() ?? null, findings: { byState, bySeverity, byRule: rules }, vms };
}
