import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SummaryRow, Transition, Trigger } from './rows.js';

export const OUTBOX_ROW_PREFIX = 'outbox|';
export const OUTBOX_ROW_END = 'outbox}';

/**
 * The intent to alert, written in the same transaction as the evaluation that caused it (a transactional outbox):
 * a crash after the commit loses nothing, because delivery reads these rows, not memory. `idempotencyKey` is
 * stable across retries and redeliveries, so receivers can drop duplicates.
 */
export const outboxRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string().optional(),
  idempotencyKey: z.string(),
  vmId: z.string(),
  vmName: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  edition: z.string(),
  /** JSON: Transition[] — every change of this VM in this evaluation (one message per VM per evaluation). */
  transitions: z.string(),
  trigger: z.string(),
  createdAt: z.string(),
  /** `pending` until every destination has it, or has failed for good. */
  state: z.enum(['pending', 'delivered', 'failed']),
  /** When the next delivery attempt is due (a pending row sits here until then). */
  nextAttemptAt: z.string(),
  /** JSON: per destination name, { state, attempts, lastError?, deliveredAt? } — kept by the delivery code. */
  deliveries: z.string(),
  /** Not stored: the index entry this row was found through (`<partition>\n<row key>`), so a save can move it. */
  indexKey: z.string().optional(),
});
export type OutboxRow = z.infer<typeof outboxRow>;

/** A string property holds at most 32 Ki characters: past that, the intent keeps each change's message, not its evidence. */
const MAX_TRANSITIONS_CHARS = 30_000;

function transitionsText(transitions: readonly Transition[]): string {
  const text = JSON.stringify(transitions);
  return text.length <= MAX_TRANSITIONS_CHARS ? text : JSON.stringify(transitions.map(({ evidence: _evidence, ...t }) => t));
}

/** The outbox row for one evaluation's transitions; deterministic (no clock, no randomness beyond its inputs). */
export function outboxRowFor(summary: SummaryRow, transitions: readonly Transition[], trigger: Trigger, now: string): OutboxRow {
  const digest = createHash('sha256')
    .update(`${summary.partitionKey}\n${summary.observedAt}\n${JSON.stringify(transitions)}`)
    .digest('hex')
    .slice(0, 32);
  return {
    partitionKey: summary.partitionKey,
    rowKey: `${OUTBOX_ROW_PREFIX}${now}|${digest.slice(0, 12)}`,
    idempotencyKey: digest,
    vmId: summary.vmId,
    vmName: summary.vmName,
    subscriptionId: summary.subscriptionId,
    resourceGroup: summary.resourceGroup,
    edition: summary.edition,
    transitions: transitionsText(transitions),
    trigger: JSON.stringify(trigger),
    createdAt: now,
    state: 'pending',
    nextAttemptAt: now,
    deliveries: '{}',
  };
}
