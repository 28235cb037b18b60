import { createHash } from 'node:crypto';
import type { OutboxRow } from './outbox.js';
import type { StoredVm } from './planLifecycle.js';
import type { FindingRow } from './rows.js';
import {
  alertIndexPartition,
  expiryPartition,
  findingIndexPartition,
  findingIndexRowKey,
  itemIndexPartition,
  nameIndexPartition,
  policyIndexPartition,
  type FindingDimension,
} from './tableKeys.js';

/**
 * What the index should hold for one VM, as a pure function of its partition (the truth). Writing the index is then
 * a diff between this image and the keys the VM's projection row says were written last time: idempotent, and the
 * same code repairs an index that a crash left behind.
 */

export interface IndexEntity {
  partitionKey: string;
  rowKey: string;
  [property: string]: string | number | boolean;
}

/** What one VM adds to its subscription's aggregate row (the fleet summary is the sum of those rows). */
export interface Contribution {
  vms: number;
  deleted: number;
  withOpenErrors: number;
  open: number;
  resolved: number;
  /** Findings an exemption covers: counted apart, never as open (nor by severity or rule). */
  exempted: number;
  error: number;
  warning: number;
  info: number;
  /** Open findings whose outcome is `unknown` (the data lacked a fact); also counted in `info`, their severity. */
  unknown: number;
  /** Open findings per rule id. */
  rules: Record<string, number>;
}

export const NO_CONTRIBUTION: Contribution = {
  vms: 0,
  deleted: 0,
  withOpenErrors: 0,
  open: 0,
  resolved: 0,
  exempted: 0,
  error: 0,
  warning: 0,
  info: 0,
  unknown: 0,
  rules: {},
};

export interface VmIndexImage {
  /** Keyed `<partitionKey>\n<rowKey>`. */
  entries: Map<string, IndexEntity>;
  contribution: Contribution;
}

export const entryKey = (e: { partitionKey: string; rowKey: string }) => `${e.partitionKey}\n${e.rowKey}`;

/** A short hash of an entry's content: the projection row keeps one per key, so unchanged entries are not rewritten. */
export function entryHash(entity: IndexEntity): string {
  return createHash('sha256').update(JSON.stringify(entity)).digest('base64url').slice(0, 12);
}

/**
 * Two pointers per finding. A subscription's (or resource group's) findings are a key range of the severity
 * partitions, so a third pointer per subscription would be one more write per evaluation for nothing (stores written
 * before kept one: each VM's next sync deletes it, since its projection recorded the key).
 */
const DIMENSIONS: readonly FindingDimension[] = ['rule', 'sev'];

function dimensionValue(row: FindingRow, dimension: FindingDimension): string {
  return dimension === 'rule' ? row.ruleId : row.severity;
}

/** The pointers to one finding row: one per dimension, in the partitions of its state. Only keys and filterable facts. */
export function findingEntries(row: FindingRow): IndexEntity[] {
  return DIMENSIONS.map((dimension) => ({
    partitionKey: findingIndexPartition(row.state, dimension, dimensionValue(row, dimension)),
    rowKey: findingIndexRowKey(row.partitionKey, row.ruleId),
    vmKey: row.partitionKey,
    findingRowKey: row.rowKey,
    ruleId: row.ruleId,
    severity: row.severity,
    outcome: row.outcome,
    subscriptionId: row.subscriptionId,
    resourceGroup: row.resourceGroup,
  }));
}

/** Pending intents are keyed by when they are next due (so "due now" is a key range); settled ones by creation. */
export function alertEntry(row: Pick<OutboxRow, 'partitionKey' | 'rowKey' | 'state' | 'nextAttemptAt' | 'createdAt'>): IndexEntity {
  const at = row.state === 'pending' ? row.nextAttemptAt : row.createdAt;
  return { partitionKey: alertIndexPartition(row.state), rowKey: `${at}|${row.partitionKey}|${row.rowKey}`, vmKey: row.partitionKey, outboxRowKey: row.rowKey };
}

const day = (iso: string) => iso.slice(0, 10);

function expiryEntry(vmKey: string, rowKey: string, at: string): IndexEntity {
  return { partitionKey: expiryPartition(day(at)), rowKey: `${vmKey}|${rowKey}`, vmKey, targetRowKey: rowKey, at };
}

/** A settled (delivered or failed) intent also expires, counted from when it was created. */
export function settledAlertExpiry(row: Pick<OutboxRow, 'partitionKey' | 'rowKey' | 'state' | 'createdAt'>): IndexEntity | null {
  return row.state === 'pending' ? null : expiryEntry(row.partitionKey, row.rowKey, row.createdAt);
}

export function indexImageOf(stored: StoredVm): VmIndexImage {
  const entries = new Map<string, IndexEntity>();
  const add = (e: IndexEntity) => entries.set(entryKey(e), e);
  const summary = stored.summary;
  if (summary === null) return { entries, contribution: NO_CONTRIBUTION };
  const vmKey = summary.partitionKey;
  add({ partitionKey: nameIndexPartition(summary.vmName), rowKey: vmKey, vmId: summary.vmId });
  if (summary.protectedItemId) add({ partitionKey: itemIndexPartition(summary.protectedItemId), rowKey: vmKey, vmId: summary.vmId });
  if (summary.policyId) add({ partitionKey: policyIndexPartition(summary.policyId), rowKey: vmKey, vmId: summary.vmId });
  if (summary.state === 'deleted') add(expiryEntry(vmKey, summary.rowKey, summary.lastEvaluatedAt));

  const contribution: Contribution = { ...NO_CONTRIBUTION, rules: {}, vms: 1, deleted: summary.state === 'deleted' ? 1 : 0 };
  for (const row of stored.findings.values()) {
    for (const e of findingEntries(row)) add(e);
    if (row.state === 'resolved') {
      contribution.resolved += 1;
      if (row.resolvedAt) add(expiryEntry(vmKey, row.rowKey, row.resolvedAt));
      continue;
    }
    if (row.state === 'exempted') {
      contribution.exempted += 1;
      continue;
    }
    contribution.open += 1;
    contribution[row.severity] += 1;
    if (row.outcome === 'unknown') contribution.unknown += 1;
    contribution.rules[row.ruleId] = (contribution.rules[row.ruleId] ?? 0) + 1;
    if (row.outcome === 'fail' && row.severity === 'error') contribution.withOpenErrors = 1;
  }
  for (const row of stored.outbox) {
    add(alertEntry(row));
    const expiry = settledAlertExpiry(row);
    if (expiry) add(expiry);
  }
  return { entries, contribution };
}

const COUNTS = ['vms', 'deleted', 'withOpenErrors', 'open', 'resolved', 'exempted', 'error', 'warning', 'info', 'unknown'] as const;

/** `a + sign × b`, field by field (rules too); rules that come to zero are dropped. */
function combine(a: Contribution, b: Contribution, sign: 1 | -1): Contribution {
  const rules: Record<string, number> = { ...a.rules };
  for (const [rule, n] of Object.entries(b.rules)) {
    const sum = (rules[rule] ?? 0) + sign * n;
    if (sum === 0) delete rules[rule];
    else rules[rule] = sum;
  }
  const result = { rules } as Contribution;
  for (const k of COUNTS) result[k] = a[k] + sign * b[k];
  return result;
}

export const contributionDelta = (after: Contribution, before: Contribution) => combine(after, before, -1);
export const addContributions = (a: Contribution, b: Contribution) => combine(a, b, 1);

export function isZero(c: Contribution): boolean {
  return COUNTS.every((k) => c[k] === 0) && Object.keys(c.rules).length === 0;
}
