import { z } from 'zod';
import { forEachLimited } from '../platform/concurrency.js';
import type { RestoreReadiness } from '../matrix/restore.js';
import { findingsQuery, findingsSources, type FindingsQuery, type FindingsSource } from './findingsQueryPlan.js';
import { InvalidContinuationTokenError, pageParameters } from './findingsReads.js';
import type { FindingsStore } from './findingsStore.js';
import { findingRow, summaryRow, type FindingRow, type SummaryRow } from './rows.js';
import { SkippedRows } from './skippedRows.js';
import { FINDING_ROW_END, FINDING_ROW_PREFIX, nameIndexPartition, SUMMARY_ROW } from './tableKeys.js';

/**
 * VMs that have findings matching a query, one row each with its open counts and restore readiness: the
 * dashboard's "VMs with open errors". It reads the same index partitions as the findings query, but keeps only
 * each pointer's VM key: pointers are keyed `<vmKey>|<ruleId>`, so a VM's pointers are adjacent, and a page can stop
 * after a whole VM and the next start past it (`RowKey ge <vmKey>}`: `}` sorts after `|`). Each VM on the page
 * is then read from its partition (summary and finding rows), the truth: a VM none of whose findings still match
 * is left out.
 */

/** One state at a time: a VM found in several state partitions would otherwise be listed once per state. */
export const vmListQuery = findingsQuery.omit({ vm: true }).extend({ state: z.enum(['open', 'exempted', 'resolved']).default('open') });
export type VmListQuery = z.infer<typeof vmListQuery>;

export const VM_PAGE_SIZE = { min: 1, max: 200, default: 50 } as const;

export const vmPageParameters = pageParameters(VM_PAGE_SIZE);

export interface VmListItem {
  vmId: string;
  vmName: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  state: SummaryRow['state'];
  lastEvaluatedAt: string;
  open: { error: number; warning: number; info: number; unknown: number };
  restore: RestoreReadiness;
  /** The VM's findings that match the query. */
  matching: number;
}

const cursor = z.object({ s: z.number().int().min(0), after: z.string().optional() });
type Cursor = z.infer<typeof cursor>;

function decodeCursor(token: string, sources: number): Cursor {
  try {
    const parsed = cursor.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (parsed.s >= sources) throw new Error('beyond the last source');
    return parsed;
  } catch (error) {
    throw new InvalidContinuationTokenError(error);
  }
}

const READ_CONCURRENCY = 8;

/**
 * Sources whose VMs never repeat: with a rule, a subscription or a severity the findings query reads one partition
 * per state; with none of them it would read the three severity partitions (a VM in each), so here it reads each
 * subscription's partition instead.
 */
async function vmSources(store: FindingsStore, query: VmListQuery): Promise<FindingsSource[]> {
  const lookup = {
    vmKeysNamed: async (name: string) => (await store.index.vmIdsIn(nameIndexPartition(name))).map((v) => v.vmKey),
    subscriptions: () => store.index.subscriptions(),
  };
  if (query.rule || query.subscription || query.severity || query.resourceGroup) return findingsSources(query, lookup);
  const sources: FindingsSource[] = [];
  for (const subscription of await store.index.subscriptions()) sources.push(...(await findingsSources({ ...query, subscription }, lookup)));
  return sources;
}

/** The query's own test, applied to the truth (the finding row), as the index applied it to the pointer. */
function matches(row: FindingRow, query: FindingsQuery): boolean {
  return (
    row.state === query.state &&
    (!query.rule || row.ruleId === query.rule) &&
    (!query.severity || row.severity === query.severity) &&
    (!query.outcome || row.outcome === query.outcome) &&
    (!query.subscription || row.subscriptionId === query.subscription.toLowerCase()) &&
    (!query.resourceGroup || row.resourceGroup === query.resourceGroup.toLowerCase())
  );
}

export async function listVms(
  store: FindingsStore,
  query: VmListQuery,
  page: { pageSize?: number; continuationToken?: string } = {},
  skipped = new SkippedRows(),
): Promise<{ items: VmListItem[]; continuationToken: string | null; skippedRows: number }> {
  const pageSize = page.pageSize ?? VM_PAGE_SIZE.default;
  const sources = await vmSources(store, query);
  let at: Cursor = page.continuationToken ? decodeCursor(page.continuationToken, sources.length) : { s: 0 };
  const vmKeys: string[] = [];
  let next: Cursor | null = null;
  scan: while (at.s < sources.length) {
    const source = sources[at.s]!;
    const from = at.after !== undefined ? `${at.after}}` : source.from;
    for await (const pointer of store.index.rows(source.partition, {
      ...(from !== undefined ? { from } : {}),
      ...(source.to !== undefined ? { to: source.to } : {}),
      filter: source.filter,
      select: ['PartitionKey', 'RowKey', 'vmKey'],
    })) {
      const vmKey = String(pointer.vmKey);
      if (vmKeys.at(-1) === vmKey) continue;
      if (vmKeys.length === pageSize) {
        next = { s: at.s, after: vmKeys.at(-1)! };
        break scan;
      }
      vmKeys.push(vmKey);
    }
    at = { s: at.s + 1 };
  }
  const found = new Array<VmListItem | null>(vmKeys.length).fill(null);
  await forEachLimited([...vmKeys.keys()], READ_CONCURRENCY, async (i) => {
    found[i] = await readItem(store, vmKeys[i]!, query, skipped);
  });
  const token = next ? Buffer.from(JSON.stringify(next)).toString('base64url') : null;
  return { items: found.filter((item): item is VmListItem => item !== null), continuationToken: token, skippedRows: skipped.count };
}

/** The VM's summary and finding rows (not its alert intents); null when nothing of it matches any more. */
async function readItem(store: FindingsStore, vmKey: string, query: VmListQuery, skipped: SkippedRows): Promise<VmListItem | null> {
  const raw = await store.index.getRow(vmKey, SUMMARY_ROW, { parse: (v: unknown) => v as Record<string, unknown> });
  const summary = raw ? skipped.parse(summaryRow, raw) : null;
  if (summary === null) return null;
  let matching = 0;
  for await (const entity of store.index.rows(vmKey, { from: FINDING_ROW_PREFIX, to: FINDING_ROW_END })) {
    const row = skipped.parse(findingRow, entity);
    if (row && matches(row, query)) matching += 1;
  }
  if (matching === 0) return null;
  return {
    vmId: summary.vmId,
    vmName: summary.vmName,
    subscriptionId: summary.subscriptionId,
    resourceGroup: summary.resourceGroup,
    location: summary.location,
    state: summary.state,
    lastEvaluatedAt: summary.lastEvaluatedAt,
    open: { error: summary.openErrors, warning: summary.openWarnings, info: summary.openInfo, unknown: summary.openUnknown },
    restore: JSON.parse(summary.restore) as RestoreReadiness,
    matching,
  };
}
