import { z } from 'zod';
import { forEachLimited } from '../platform/concurrency.js';
import type { RestoreReadiness } from '../matrix/restore.js';
import { findingsQuery, findingsSourceGroups, type FindingsQuery, type FindingsSource } from './findingsQueryPlan.js';
import { InvalidContinuationTokenError, pageParameters } from './findingsReads.js';
import type { FindingsStore } from './findingsStore.js';
import { findingRow, summaryRow, type FindingRow, type SummaryRow } from './rows.js';
import { SkippedRows } from './skippedRows.js';
import { FINDING_ROW_END, FINDING_ROW_PREFIX, nameIndexPartition, SUMMARY_ROW } from './tableKeys.js';

/**
 * VMs that have findings matching a query, one row each with its open counts and restore readiness: the
 * dashboard's "VMs with open errors". It reads the same index partitions as the findings query, but keeps only
 * each pointer's VM key: pointers are keyed `<vmKey>|<ruleId>`, so a VM's pointers are adjacent within a partition.
 * Where a VM can be in several partitions (the three severities), their pointers are merged by key, so each VM comes
 * once and in key order. A page can then stop after a whole VM and the next start past it (`RowKey ge <vmKey>}`:
 * `}` sorts after `|`). Each VM on the page is then read from its partition (summary and finding rows), the truth:
 * a VM none of whose findings still match is left out.
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
/** Pointers a VM is expected to have in one severity partition, for sizing the pages of a merged read. */
const POINTERS_PER_VM = 4;

/**
 * The VM keys of a group of sources, in key order and once each: the sources are read side by side (a VM can be in
 * each), from just past `after`. Keys compare as their pointers' row keys do (`<vmKey>|`): `vm-10|` sorts before
 * `vm-1|`, though `vm-1` sorts before `vm-10`.
 */
async function* vmKeysOf(store: FindingsStore, group: readonly FindingsSource[], after: string | undefined, vms: number): AsyncGenerator<string> {
  // Side by side, each source is read a page ahead: pages sized for the VMs wanted (a VM has a few pointers in each),
  // not the service's 1,000, so three sources do not read three times what one did. A longer run reads on.
  const pageSize = group.length > 1 ? Math.min(1000, (vms + 1) * POINTERS_PER_VM) : 1000;
  const streams = group.map((source) => {
    const from = after !== undefined ? `${after}}` : source.from;
    return store.index
      .rows(source.partition, {
        ...(from !== undefined ? { from } : {}),
        ...(source.to !== undefined ? { to: source.to } : {}),
        filter: source.filter,
        select: ['PartitionKey', 'RowKey'],
        pageSize,
      })
      [Symbol.asyncIterator]();
  });
  // The VM's part of the row key, `|` included (a VM key is URI-encoded, so its first `|` ends it): what orders rows.
  const keyOf = (head: IteratorResult<{ rowKey?: string }>) => {
    if (head.done) return null;
    const rowKey = String(head.value.rowKey);
    return rowKey.slice(0, rowKey.indexOf('|') + 1);
  };
  const heads: IteratorResult<{ rowKey?: string }>[] = [];
  try {
    heads.push(...(await Promise.all(streams.map((stream) => stream.next()))));
    for (;;) {
      let least: string | null = null;
      for (const head of heads) {
        const key = keyOf(head);
        if (key !== null && (least === null || key < least)) least = key;
      }
      if (least === null) return;
      yield least.slice(0, -1);
      await Promise.all(
        streams.map(async (stream, i) => {
          while (keyOf(heads[i]!) === least) heads[i] = await stream.next();
        }),
      );
    }
  } finally {
    await Promise.all(streams.map((stream) => stream.return?.()));
  }
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
  const groups = await findingsSourceGroups(query, {
    vmKeysNamed: async (name: string) => (await store.index.vmIdsIn(nameIndexPartition(name))).map((v) => v.vmKey),
    subscriptions: () => store.index.subscriptions(),
  });
  let at: Cursor = page.continuationToken ? decodeCursor(page.continuationToken, groups.length) : { s: 0 };
  const vmKeys: string[] = [];
  let next: Cursor | null = null;
  scan: while (at.s < groups.length) {
    for await (const vmKey of vmKeysOf(store, groups[at.s]!, at.after, pageSize)) {
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
