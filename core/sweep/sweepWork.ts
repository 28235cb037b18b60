import { assess } from '../assessment/assess.js';
import { storeAssessment } from '../assessment/storeAssessment.js';
import { storedExemptions } from '../store/exemptionStore.js';
import { evaluateVm, type EvaluationServices } from '../pipeline/evaluateVm.js';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import { vmPartitionKey } from '../store/tableKeys.js';
import { vmIdFrom } from '../armModel/vmId.js';

export type SweepReason = 'new' | 'drift' | 'dirty' | 'protection-changed' | 'stale' | 'lost-protection';

/**
 * One re-evaluation the sweep decided on. `snapshot`: built from the sweep's Resource Graph read, stored as of that
 * read. `reread`: the VM left the protected fleet (or an event marked an unprotected VM dirty), so ARM is read
 * again. Plain data: it can wait in a queue and be done by another instance.
 */
export type SweepWork =
  | { kind: 'snapshot'; vmId: string; reason: SweepReason; snapshot: VmSnapshot; fingerprint: string; observedAt: string; dirtyEtag?: string }
  | { kind: 'reread'; vmId: string; reason: SweepReason; dirtyEtag?: string };

/** Does one piece of sweep work through the same assess → storeAssessment path as events, then clears its dirty mark. */
export async function applySweepWork(services: EvaluationServices, work: SweepWork): Promise<void> {
  if (work.kind === 'reread') {
    // Re-read from ARM: unprotected now (policy and vault rules notApplicable), changed, or gone (vm-deleted).
    // The queue's (or the store's) plain id, parsed here where it enters.
    await evaluateVm(services, vmIdFrom(work.vmId), { kind: 'sweep' });
  } else {
    const now = services.now().toISOString();
    const assessment = assess(work.snapshot, services.edition, await storedExemptions(services.store, now), work.fingerprint);
    // Stored as of the sweep's read: an event that stored a fresher read of this VM meanwhile wins.
    await storeAssessment(services.store, assessment, { observedAt: work.observedAt, trigger: { kind: 'sweep' }, now });
  }
  if (work.dirtyEtag) await services.store.clearDirty(vmPartitionKey(work.vmId), work.dirtyEtag);
}
