import type { Evaluation } from '../matrix/evaluate.js';
import type { FindingsStore } from '../store/findingsStore.js';
import type { Trigger } from '../store/rows.js';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import { fingerprintOf } from '../sweep/fingerprint.js';

export interface StoredCounts {
  vms: number;
  opened: number;
  resolved: number;
  changed: number;
  unchanged: number;
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
  const counts: StoredCounts = { vms: 0, opened: 0, resolved: 0, changed: 0, unchanged: 0 };
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const { snapshot, evaluation, observedAt } = items[next++]!;
      const result = await store.applyEvaluation(evaluation, {
        location: snapshot.location,
        // When the data was read, not when it is written: a fresher evaluation already stored must win.
        observedAt: observedAt ?? now,
        fingerprint: fingerprintOf(snapshot, evaluation.edition),
        trigger,
        now,
        links: { protectedItemId: snapshot.protection.itemId, policyId: snapshot.protection.policy?.id ?? null },
      });
      counts.vms++;
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
