import { VmNotFoundError } from '../inventory/arm/armErrors.js';
import { readVmFromArm, type VmRead } from '../inventory/arm/readVmFromArm.js';
import type { LiveSizeCatalogue } from '../inventory/arm/liveSizeCatalogue.js';
import type { ArmAccess } from '../inventory/arm/armAccess.js';
import type { ResolvedEdition } from '../matrix/editions/index.js';
import { evaluateWithExemptions } from '../exemptions/applyExemptions.js';
import { storedExemptions } from '../store/exemptionStore.js';
import { fingerprintOf } from '../sweep/fingerprint.js';
import { parseArmId } from '../armModel/armId.js';
import { buildVmSnapshot, LIVE_READER_OPTIONS, type SnapshotOptions } from '../snapshot/buildVmSnapshot.js';
import { indexInventory } from '../snapshot/inventoryIndex.js';
import type { ApplyResult, FindingsStore } from '../store/findingsStore.js';
import type { Trigger } from '../store/rows.js';

export interface EvaluationServices {
  arm: ArmAccess;
  sizes: LiveSizeCatalogue;
  store: FindingsStore;
  edition: ResolvedEdition;
  now: () => Date;
}

/** What a live read could not see, as the snapshot builder takes it. */
export function snapshotOptionsOf(read: VmRead): SnapshotOptions {
  return { ...LIVE_READER_OPTIONS, ...(read.protectionUnreadable ? { protectionUnreadable: read.protectionUnreadable } : {}), ...(read.locksUnreadable ? { locksUnreadable: read.locksUnreadable } : {}) };
}

export type EvaluateVmResult = ApplyResult & { vmId: string; deleted: boolean };

/**
 * The one live path: read the VM's current state from ARM (events are hints; the read is the truth), evaluate it,
 * store the result. A VM ARM no longer has is resolved as deleted. Transient ARM or storage failures propagate
 * (the caller's platform retries); nothing is written unless the whole evaluation is.
 */
export async function evaluateVm(services: EvaluationServices, vmId: string, trigger: Trigger): Promise<EvaluateVmResult> {
  let read;
  try {
    read = await readVmFromArm(vmId, services.arm, services.now);
  } catch (error) {
    if (!(error instanceof VmNotFoundError)) throw error;
    const at = services.now().toISOString();
    const result = await services.store.applyDeletion(vmId, { observedAt: at, trigger, now: at });
    return { ...result, vmId, deleted: true };
  }
  await services.sizes.ensureRegion(read.location, parseArmId(vmId).subscriptionId ?? '');
  const vm = read.inventory.virtualMachines[0]!;
  const snapshot = buildVmSnapshot(vm, indexInventory(read.inventory), services.sizes, snapshotOptionsOf(read));
  const now = services.now().toISOString();
  const evaluation = evaluateWithExemptions(snapshot, services.edition, await storedExemptions(services.store, now));
  const links = { protectedItemId: snapshot.protection.itemId, policyId: snapshot.protection.policy?.id ?? null };
  const fingerprint = fingerprintOf(snapshot, services.edition.id);
  const result = await services.store.applyEvaluation(evaluation, { location: read.location, observedAt: read.observedAt, trigger, now, links, fingerprint });
  return { ...result, vmId: vm.id, deleted: false };
}
