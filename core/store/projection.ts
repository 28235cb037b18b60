import { z } from 'zod';
import { NO_CONTRIBUTION, type Contribution } from './indexImage.js';
import type { SummaryRow } from './rows.js';

/**
 * The narrow row per VM in its subscription's projection partition: what the drift sweep compares (fingerprint,
 * links, last evaluation), what the VM adds to the subscription's aggregate, and which index entries were last
 * written for it. It is written last, after the index entries: a projection that lags its partition is the sign of
 * an index write that did not finish, and the next evaluation of the VM (or the sweep) repairs it.
 */
export const projectionRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string().optional(),
  vmId: z.string(),
  vmName: z.string(),
  resourceGroup: z.string(),
  state: z.enum(['present', 'deleted']),
  protectedItemId: z.string(),
  policyId: z.string(),
  fingerprint: z.string(),
  lastEvaluatedAt: z.string(),
  edition: z.string(),
  /** JSON: Contribution. */
  contribution: z.string(),
  /** JSON: index entry key → content hash, as last written. */
  indexKeys: z.string(),
});
export type ProjectionRow = z.infer<typeof projectionRow>;

/** The columns the sweep reads: not the index keys, which are the widest part of the row. */
export const SWEEP_COLUMNS = ['PartitionKey', 'RowKey', 'vmId', 'state', 'protectedItemId', 'fingerprint', 'lastEvaluatedAt'] as const;
export const sweepProjection = projectionRow.pick({ rowKey: true, vmId: true, state: true, protectedItemId: true, fingerprint: true, lastEvaluatedAt: true });
export type SweepProjection = z.infer<typeof sweepProjection>;

export function projectionFrom(
  summary: SummaryRow,
  partitionKey: string,
  contribution: Contribution,
  indexKeys: Record<string, string>,
): Omit<ProjectionRow, 'etag'> {
  return {
    partitionKey,
    rowKey: summary.partitionKey,
    vmId: summary.vmId,
    vmName: summary.vmName,
    resourceGroup: summary.resourceGroup,
    state: summary.state,
    protectedItemId: summary.protectedItemId,
    policyId: summary.policyId,
    fingerprint: summary.fingerprint,
    lastEvaluatedAt: summary.lastEvaluatedAt,
    edition: summary.edition,
    contribution: JSON.stringify(contribution),
    indexKeys: JSON.stringify(indexKeys),
  };
}

export function contributionOf(row: { contribution: string } | null): Contribution {
  if (row === null) return NO_CONTRIBUTION;
  return { ...NO_CONTRIBUTION, ...(JSON.parse(row.contribution) as Partial<Contribution>) };
}

/** A subscription's sums: one row, changed in the same transaction as the projection whose contribution changed. */
export const aggregateRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string().optional(),
  /** JSON: Contribution, summed over the subscription's VMs. */
  totals: z.string(),
});
export type AggregateRow = z.infer<typeof aggregateRow>;
