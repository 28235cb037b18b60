import { assess } from '../assessment/assess.js';
import { storeAssessment } from '../assessment/storeAssessment.js';
import { evaluateVm } from '../pipeline/evaluateVm.js';
import type { SweepServices } from './sweepServices.js';
import type { SweepWork } from '../queue/sweepWorkItem.js';
import { vmIdFrom } from '../armModel/vmId.js';

/** Does one piece of sweep work through the same assess → storeAssessment path as events, then clears its dirty mark. */
export async function applySweepWork(services: SweepServices, work: SweepWork): Promise<void> {
  if (work.kind === 'reread') {
    // Re-read from ARM: unprotected now (policy and vault rules notApplicable), changed, or gone (vm-deleted).
    // The queue's (or the store's) plain id, parsed here where it enters.
    await evaluateVm(services, vmIdFrom(work.vmId), { kind: 'sweep' });
  } else {
    const now = services.now().toISOString();
    const assessment = assess(work.snapshot, services.edition, await services.store.activeExemptions(now), work.fingerprint);
    // Stored as of the sweep's read: an event that stored a fresher read of this VM meanwhile wins.
    await storeAssessment(services.store, assessment, { observedAt: work.observedAt, trigger: { kind: 'sweep' }, now });
  }
  if (work.dirtyEtag) await services.store.clearDirty(work.vmId, work.dirtyEtag);
}
