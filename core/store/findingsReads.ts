import { RestError } from '@azure/data-tables';
import { forEachLimited } from '../platform/concurrency.js';
import { z } from 'zod';
import type { RestoreReadiness } from '../matrix/restore.js';
import { SEVERITY_RANK, type ExemptionRef } from '../matrix/types.js';
import type { IndexedStore, IndexPointer } from './indexedStore.js';
import { findingsSources, type FindingsQuery } from './findingsQueryPlan.js';
import { addContributions, NO_CONTRIBUTION, type Contribution } from './indexImage.js';
import { findingRow, type FindingRow, type HistoryEntry, type SummaryRow, type Trigger } from './rows.js';
import { SkippedRows } from './skippedRows.js';
import { isNotFound } from './notFound.js';
import { nameIndexPartition } from './tableKeys.js';

/**
 * The read side of the findings store, shared by the HTTP API and the CLI: rows in, public JSON shapes out.
 * Every filter is built with the `odata` template (see findingsQueryPlan.ts); nothing here concatenates input.
 */

export const PAGE_SIZE = { min: 1, max: 1000, default: 100 } as const;

/**
 * Paging parameters as text (query string, command line), within `limits`: validated here so both front ends say
 * the same thing. Findings page by row, the VM list (vmListing.ts) by VM.
 */
export function pageParameters(limits: { min: number; max: number; default: number }) {
  const digits = String(limits.max).length;
  return z.object({
    pageSize: z
      .string()
      .refine(
        (s) => /^\d+$/.test(s) && s.length <= digits && Number(s) >= limits.min && Number(s) <= limits.max,
        `must be a whole number from ${limits.min} to ${limits.max}`,
      )
      .transform(Number)
      .default(limits.default),
    continuationToken: z.string().min(1, 'must not be empty').max(4096, 'is at most 4096 characters').optional(),
  });
}

export const findingsPageParameters = pageParameters(PAGE_SIZE);

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
  /** While `exempted`: the exemption that covers it. */
  exemption?: ExemptionRef;
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
    ...(row.state === 'exempted' && row.exemption ? { exemption: JSON.parse(row.exemption) as ExemptionRef } : {}),
    docs: `docs/rules/${row.ruleId}.md`,
  };
}

/**
 * A service page may be empty yet carry a continuation token (Table Storage stops at partition boundaries and
 * time limits), and a query may span a few partitions (states, severities): read on for a few service pages more
 * than it has partitions, so callers rarely see an empty page that is not the last. Bounded per request.
 */
const EXTRA_SERVICE_PAGES = 4;
const CONFIRM_CONCURRENCY = 16;

/** Where a paged query stands: which of its sources, and the table's own token within it. Opaque to callers. */
const cursor = z.object({ s: z.number().int().min(0), t: z.string().optional() });
type Cursor = z.infer<typeof cursor>;

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(token: string, sources: number): Cursor {
  try {
    const parsed = cursor.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (parsed.s >= sources) throw new Error('beyond the last source');
    return parsed;
  } catch (error) {
    throw new InvalidContinuationTokenError(error);
  }
}

/**
 * One page of findings. Index sources give pointers: each is confirmed by a point read of the finding row in its
 * VM's partition (the truth), so the answer is never staler than the partition; a pointer the row does not bear
 * out is left out and its VM's index repaired (best effort: a reader-only identity cannot, and the next evaluation
 * or sweep will).
 */
export async function queryFindings(
  store: IndexedStore,
  query: FindingsQuery,
  page: { pageSize?: number; continuationToken?: string } = {},
  skipped = new SkippedRows(),
): Promise<{ items: FindingView[]; continuationToken: string | null; skippedRows: number }> {
  const pageSize = page.pageSize ?? PAGE_SIZE.default;
  const sources = await findingsSources(query, {
    vmKeysNamed: async (name) => (await store.index.vmIdsIn(nameIndexPartition(name))).map((v) => v.vmKey),
    subscriptions: () => store.index.subscriptions(),
  });
  if (sources.length === 0) return { items: [], continuationToken: null, skippedRows: 0 };
  let at: Cursor = page.continuationToken ? decodeCursor(page.continuationToken, sources.length) : { s: 0 };
  const items: FindingView[] = [];
  for (let n = 0; n < sources.length + EXTRA_SERVICE_PAGES && items.length < pageSize && at.s < sources.length; n++) {
    const source = sources[at.s]!;
    let next: Awaited<ReturnType<ReturnType<typeof store.index.pages>['next']>>;
    try {
      next = await store.index.pages(source.partition, { ...source, pageSize: pageSize - items.length, ...(at.t ? { continuationToken: at.t } : {}) }).next();
    } catch (error) {
      if (isNotFound(error)) return { items, continuationToken: null, skippedRows: skipped.count };
      // The SDK decodes the token before sending it, and the service answers 400 to keys it cannot use.
      if (at.t && n === 0 && (!(error instanceof RestError) || error.statusCode === 400)) throw new InvalidContinuationTokenError(error);
      throw error;
    }
    const rows = next.done ? [] : next.value;
    const views = source.kind === 'vm' ? rows.flatMap((e) => viewsOf(skipped.parse(findingRow, e), e, skipped)) : await confirmPointers(store, rows, skipped);
    items.push(...views);
    const token = next.done ? undefined : next.value.continuationToken;
    at = token ? { s: at.s, t: token } : { s: at.s + 1 };
  }
  return { items, continuationToken: at.s < sources.length ? encodeCursor(at) : null, skippedRows: skipped.count };
}

/** The view of a validated row; a row whose evidence is not JSON is skipped like one that fails validation. */
function viewsOf(row: FindingRow | null, entity: Record<string, unknown>, skipped: SkippedRows): FindingView[] {
  if (row === null) return [];
  try {
    return [findingView(row)];
  } catch {
    skipped.add(entity);
    return [];
  }
}

/** A pointer holds when the finding is still in the state and severity the pointer's partitions say. */
async function confirmPointers(store: IndexedStore, pointers: readonly IndexPointer[], skipped: SkippedRows): Promise<FindingView[]> {
  const holds = (row: FindingRow, pointer: IndexPointer) =>
    row.state === String(pointer.partitionKey).split('.')[2] && row.severity === pointer.severity && row.outcome === pointer.outcome;
  return (await store.confirm(pointers, (p) => String(p.findingRowKey), findingRow, holds, skipped)).flatMap(({ row }) => viewsOf(row, row, skipped));
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
  /** Rows of this VM that failed validation and were left out (see skippedRows.ts). */
  skippedRows: number;
}

const STATE_ORDER: Record<FindingRow['state'], number> = { open: 0, exempted: 1, resolved: 2 };

/** Open findings first, worst first; then exempted ones; then resolved ones, most recently resolved first. */
function reportOrder(a: FindingRow, b: FindingRow): number {
  if (a.state !== b.state) return STATE_ORDER[a.state] - STATE_ORDER[b.state];
  if (a.state !== 'resolved') return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId);
  return (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? '') || a.ruleId.localeCompare(b.ruleId);
}

/** Everything stored about one VM (id compared case-insensitively through the partition key); null if never evaluated. */
export async function getVmReport(store: IndexedStore, vmId: string, skipped = new SkippedRows()): Promise<VmReport | null> {
  const { summary, findings } = await store.readVm(vmId, skipped);
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
    findings: [...findings.values()].sort(reportOrder).flatMap((row) => viewsOf(row, row, skipped)),
    history: JSON.parse(summary.history || '[]') as HistoryEntry[],
    skippedRows: skipped.count,
  };
}

export interface FleetSummary {
  subscription: string | null;
  findings: {
    /** `exempted`: still failing, but covered by an exemption; not counted as open, nor by severity or rule. */
    byState: { open: number; resolved: number; exempted: number };
    /** Open findings; an `unknown` outcome is stored with severity `info`, so it counts there (as `?severity=info` finds it). */
    bySeverity: Record<FindingRow['severity'], number>;
    /** Open findings by outcome: `unknown` ones are also in `bySeverity.info`. */
    byOutcome: Record<FindingRow['outcome'], number>;
    /** Open findings per rule id, keys in rule-id order. */
    byRule: Record<string, number>;
  };
  vms: { total: number; withOpenErrors: number; deleted: number };
}

/**
 * Each subscription's aggregate row (one point read each), in the order given; the store's subscriptions
 * (`ix.subs`, one partition) when none is named. Costs one row per subscription, whatever the fleet's size.
 */
export async function subscriptionTotals(store: IndexedStore, subscription?: string): Promise<{ subscriptionId: string; totals: Contribution }[]> {
  const subscriptions = subscription ? [subscription.toLowerCase()] : await store.index.subscriptions();
  const each = new Array<Contribution>(subscriptions.length);
  await forEachLimited([...subscriptions.keys()], CONFIRM_CONCURRENCY, async (i) => {
    each[i] = await store.index.totals(subscriptions[i]!);
  });
  return subscriptions.map((subscriptionId, i) => ({ subscriptionId, totals: each[i]! }));
}

/**
 * Counts over the whole fleet (or one subscription), from each subscription's aggregate row: one read per
 * subscription, whatever the number of VMs or findings.
 */
export async function fleetSummary(store: IndexedStore, query: { subscription?: string } = {}): Promise<FleetSummary> {
  let totals = NO_CONTRIBUTION;
  for (const each of await subscriptionTotals(store, query.subscription)) totals = addContributions(totals, each.totals);
  const rules = Object.fromEntries(Object.entries(totals.rules).sort(([a], [b]) => a.localeCompare(b)));
  return {
    subscription: query.subscription?.toLowerCase() ?? null,
    findings: {
      byState: { open: totals.open, resolved: totals.resolved, exempted: totals.exempted },
      bySeverity: { error: totals.error, warning: totals.warning, info: totals.info },
      byOutcome: { fail: totals.open - totals.unknown, unknown: totals.unknown },
      byRule: rules,
    },
    vms: { total: totals.vms, withOpenErrors: totals.withOpenErrors, deleted: totals.deleted },
  };
}
