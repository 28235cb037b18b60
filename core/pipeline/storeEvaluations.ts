import type { Evaluation } from '../matrix/evaluate.js';
import type { FindingsStore } from '../store/findingsStore.js';
import { UnstorableVmError } from '../store/storableLimits.js';
import type { Trigger } from '../store/rows.js';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import { fingerprintOf } from '../sweep/fingerprint.js';

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
async function applyOrRefuse(store: FindingsStore, evaluation: Evaluation, counts: StoredCounts, context: Parameters<FindingsStore['applyEvaluation']>[1]) {
  try {
    return await store.applyEvaluation(evaluation, context);
  } catch (error) {
    // 400 is the table refusing the row itself (a key or property too large); anything else is not this VM's doing.
    const refused = error instanceof UnstorableVmError ? error.message : (error as { statusCode?: unknown }).statusCode === 400 ? `the table refused its rows (${(error as { code?: string }).code ?? 'HTTP 400'})` : null;
    if (refused === null) throw error;
    counts.unstorable.push({ vmName: evaluation.vmName, reason: refused });
    return null;
  }
}

/**
 * Writes evaluations through the same `applyEvaluation` path the functions use, a few VMs at a time (one
 * transaction each). The snapshot gives the VM's location and its protected item and policy links.
 */
export async function storeEvaluations(
  store: FindingsStore,
  items: readonly { snapshot: VmSnapshot; evaluation: Evaluation; observedAt?: string }[],
  trigger: Trigger,
  now: string,
  concurrency = 8,
): Promise<StoredCounts> {
  const counts: StoredCounts = { vms: 0, opened: 0, resolved: 0, changed: 0, unchanged: 0, stale: 0, unstorable: [] };
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const { snapshot, evaluation, observedAt } = items[next++]!;
      const result = await applyOrRefuse(store, evaluation, counts, {
        location: snapshot.location,
        // When the data was read, not when it is written: a fresher evaluation already stored must win.
        observedAt: observedAt ?? now,
        fingerprint: fingerprintOf(snapshot, evaluation.edition),
        trigger,
        now,
        links: { protectedItemId: snapshot.protection.itemId, policyId: snapshot.protection.policy?.id ?? null },
      });
      if (result === null) continue;
      counts.vms++;
      if (result.stale) counts.stale++;
      if (result.transitions.length === 0) counts.unchanged++;
      for (const t of result.transitions) {
        if (t.kind === 'opened' || t.kind === 'reopened') counts.opened++;
        else if (t.kind === 'resolved') counts.resolved++;
        else counts.changed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return counts;
}
