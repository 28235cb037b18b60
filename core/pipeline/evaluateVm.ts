import type { VmId } from '../armModel/vmId.js';
import { readAndAssess } from '../assessment/readAndAssess.js';
import { storeAssessment } from '../assessment/storeAssessment.js';
import type { ApplyResult, Trigger } from '../store/index.js';
import type { EvaluationServices } from '../assessment/evaluationServices.js';

export type EvaluateVmResult = ApplyResult & { vmId: string; deleted: boolean };

/**
 * The one live path: read the VM's current state from ARM, assess it, store the result. A VM ARM no longer has is
 * resolved as deleted. Transient ARM or storage failures propagate (the caller's platform retries); nothing is
 * written unless the whole evaluation is.
 */
export async function evaluateVm(services: EvaluationServices, vmId: VmId, trigger: Trigger): Promise<EvaluateVmResult> {
  // The store's reads go out with ARM's instead of after them: a few round trips off every evaluation's latency.
  const prepared = services.store.prepareWrite(vmId.id);
  const assessed = await readAndAssess(services, vmId, (now) => services.store.activeExemptions(now));
  if (assessed === null) {
    const at = services.now().toISOString();
    const result = await services.store.applyDeletion(vmId.id, { observedAt: at, trigger, now: at, prepared });
    return { ...result, vmId: vmId.id, deleted: true };
  }
  const result = await storeAssessment(services.store, assessed, { observedAt: assessed.observedAt, trigger, now: assessed.assessedAt, prepared });
  return { ...result, vmId: assessed.evaluation.vmId, deleted: false };
}
