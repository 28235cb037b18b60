import type { Assessment } from '../assessment/assess.js';
import { storeAssessment, type StoreContext } from '../assessment/storeAssessment.js';
import { forEachLimited } from '../platform/concurrency.js';
import { UnstorableVmError, type Trigger, type VmEvaluations } from '../store/index.js';

export interface StoredCounts {
  vms: number;
  opened: number;
  resolved: number;
  changed: number;
  unchanged: number;
  /** VMs not written because the store holds an evaluation observed later (see MAX_CLOCK_SKEW_MS). */
  stale: number;
  /** VMs the store refused (too long an id, a row too large): named, while the others were stored. */
  unstorable: { vmName: string; reason: string }[];
}

/** The store's answer, or null when it refuses this VM for good (counted by name in `unstorable`). */
async function storeOrRefuse(store: VmEvaluations, assessment: Assessment, counts: StoredCounts, context: StoreContext) {
  try {
    return await storeAssessment(store, assessment, context);
  } catch (error) {
    // 400 is the table refusing the row itself (a key or property too large); anything else is not this VM's doing.
    const refused =
      error instanceof UnstorableVmError
        ? error.message
        : (error as { statusCode?: unknown }).statusCode === 400
          ? `the table refused its rows (${(error as { code?: string }).code ?? 'HTTP 400'})`
          : null;
    if (refused === null) throw error;
    counts.unstorable.push({ vmName: assessment.evaluation.vmName, reason: refused });
    return null;
  }
}

/**
 * Writes assessments through the same storeAssessment path the functions use, a few VMs at a time (one
 * transaction each).
 */
export async function storeEvaluations(
  store: VmEvaluations,
  items: readonly { assessment: Assessment; observedAt?: string }[],
  trigger: Trigger,
  now: string,
  concurrency = 8,
): Promise<StoredCounts> {
  const counts: StoredCounts = { vms: 0, opened: 0, resolved: 0, changed: 0, unchanged: 0, stale: 0, unstorable: [] };
  await forEachLimited(items, concurrency, async ({ assessment, observedAt }) => {
    // When the data was read, not when it is written: a fresher evaluation already stored must win.
    const result = await storeOrRefuse(store, assessment, counts, { observedAt: observedAt ?? now, trigger, now });
    if (result === null) return;
    counts.vms++;
    if (result.stale) counts.stale++;
    if (result.transitions.length === 0) counts.unchanged++;
    for (const t of result.transitions) {
      if (t.kind === 'opened' || t.kind === 'reopened') counts.opened++;
      else if (t.kind === 'resolved') counts.resolved++;
      else counts.changed++;
    }
  });
  return counts;
}
