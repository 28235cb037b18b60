import { indexInventory } from '../snapshot/inventoryIndex.js';
import { buildVmSnapshot } from '../snapshot/buildVmSnapshot.js';
import { idKey } from '../snapshot/armId.js';
import { evaluate } from '../matrix/evaluate.js';
import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import { evaluateVm, type EvaluationServices } from '../pipeline/evaluateVm.js';
import { vmPartitionKey } from '../store/tableKeys.js';
import { fingerprintOf } from './fingerprint.js';
import { readProtectedFleet } from './readProtectedFleet.js';

const WRITE_CONCURRENCY = 8;

export type SweepReason = 'new' | 'drift' | 'dirty' | 'protection-changed' | 'stale';

export interface SweepOptions {
  /** Subscriptions to sweep; empty: every subscription the identity can read. */
  subscriptions: readonly string[];
  /** Re-evaluate a VM whose last evaluation is older than this, even without drift. */
  maxAgeMs: number;
  /** Stop starting new evaluations after this long (the host's time limit minus a margin). */
  timeBudgetMs: number;
}

export interface SweepResult {
  protectedVms: number;
  evaluated: number;
  reasons: Record<SweepReason | 'lost-protection', number>;
  unchanged: number;
  /** false when the time budget ran out: the next run continues with the VMs left (they still differ). */
  complete: boolean;
  skippedRows: string[];
}

/**
 * The drift sweep. It reads the protected fleet in a few paged requests, builds every VM's snapshot, and
 * re-evaluates only VMs whose fingerprint changed, that an event marked dirty, whose protection changed, or whose
 * last evaluation is too old — through the same evaluate → applyEvaluation path as events. An unchanged fleet
 * writes nothing. Work is ordered never-evaluated first, then oldest evaluation first, so a sweep cut short by the
 * time limit resumes with what it did not reach (each VM's write is atomic; finished VMs now match) and no VM starves.
 */
export async function runSweep(services: EvaluationServices, graph: ResourceGraph, options: SweepOptions): Promise<SweepResult> {
  const started = services.now().getTime();
  // Evaluations are stored as of the read: an event that stored a fresher read of a VM meanwhile wins.
  const observedAt = services.now().toISOString();
  const fleet = await readProtectedFleet(services.arm, graph, options.subscriptions);
  const [stored, dirty] = await Promise.all([services.store.summaries(), services.store.dirtyMarks()]);
  for (const vm of fleet.inventory.virtualMachines) await services.sizes.ensureRegion(vm.location?.replace(/\s+/g, '').toLowerCase() ?? null, vm.id.split('/')[2] ?? '');

  const index = indexInventory(fleet.inventory);
  const now = services.now();
  const reasons: SweepResult['reasons'] = { new: 0, drift: 0, dirty: 0, 'protection-changed': 0, stale: 0, 'lost-protection': 0 };
  const work: { vm: (typeof fleet.inventory.virtualMachines)[number]; reason: SweepReason; fingerprint: string; age: number }[] = [];
  for (const vm of fleet.inventory.virtualMachines) {
    const snapshot = buildVmSnapshot(vm, index, services.sizes);
    const fingerprint = fingerprintOf(snapshot, services.edition.id);
    const key = vmPartitionKey(vm.id);
    const summary = stored.get(key);
    const age = summary ? now.getTime() - Date.parse(summary.lastEvaluatedAt) : Number.POSITIVE_INFINITY;
    let reason: SweepReason | null = null;
    if (!summary || summary.state === 'deleted') reason = 'new';
    else if (dirty.has(key)) reason = 'dirty';
    else if (summary.protectedItemId !== (snapshot.protection.itemId ?? '').toLowerCase()) reason = 'protection-changed';
    else if (summary.fingerprint !== fingerprint) reason = 'drift';
    else if (age > options.maxAgeMs) reason = 'stale';
    if (reason) work.push({ vm, reason, fingerprint, age });
  }
  // VMs the store knows as protected that Resource Graph no longer lists: protection removed (or the VM deleted).
  const protectedKeys = new Set(fleet.protectedVmIds.map((id) => vmPartitionKey(id)));
  const lost = [...stored.values()].filter((s) => s.state === 'present' && s.protectedItemId !== '' && !protectedKeys.has(s.partitionKey) && inScope(s.subscriptionId, options.subscriptions));
  // Dirty VMs outside the protected fleet (a disk of an unprotected VM changed): re-read them from ARM too.
  const lostKeys = new Set(lost.map((s) => s.partitionKey));
  const dirtyElsewhere = [...dirty.keys()].filter((key) => !protectedKeys.has(key) && !lostKeys.has(key) && stored.has(key) && inScope(stored.get(key)!.subscriptionId, options.subscriptions));

  work.sort((a, b) => b.age - a.age);
  let evaluated = 0;
  let complete = true;
  const outOfTime = () => services.now().getTime() - started > options.timeBudgetMs;
  // A few VMs at a time: each is its own transaction in its own partition, so they do not contend.
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      if (outOfTime()) {
        complete = false;
        return;
      }
      const item = work[next++]!;
      // One VM's failure must not stop the others (nor leave workers running after the sweep gave up).
      await reevaluate(item).catch((error: unknown) => void failures.push(`${item.vm.id}: ${(error as Error).message}`));
    }
  };
  const failures: string[] = [];
  const reevaluate = async (item: (typeof work)[number]) => {
    const snapshot = buildVmSnapshot(item.vm, index, services.sizes);
    const evaluation = evaluate(snapshot, services.edition);
    const at = services.now().toISOString();
    await services.store.applyEvaluation(evaluation, {
      location: snapshot.location,
      observedAt,
      trigger: { kind: 'sweep' },
      now: at,
      links: { protectedItemId: snapshot.protection.itemId, policyId: snapshot.protection.policy?.id ?? null },
      fingerprint: item.fingerprint,
    });
    const mark = dirty.get(vmPartitionKey(item.vm.id));
    if (mark) await services.store.clearDirty(vmPartitionKey(item.vm.id), mark);
    reasons[item.reason] += 1;
    evaluated += 1;
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, work.length) }, worker));
  const reread = [...lost.map((s) => ({ vmId: s.vmId, key: s.partitionKey, reason: 'lost-protection' as const })), ...dirtyElsewhere.map((key) => ({ vmId: stored.get(key)!.vmId, key, reason: 'dirty' as const }))];
  for (const vm of reread) {
    if (outOfTime()) {
      complete = false;
      break;
    }
    // Re-read from ARM: unprotected now (policy and vault rules notApplicable), changed, or gone (vm-deleted).
    try {
      await evaluateVm(services, vm.vmId, { kind: 'sweep' });
      const mark = dirty.get(vm.key);
      if (mark) await services.store.clearDirty(vm.key, mark);
      reasons[vm.reason] += 1;
      evaluated += 1;
    } catch (error) {
      failures.push(`${vm.vmId}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) {
    // Every other VM was handled; the failed ones still differ, so the next run takes them again.
    throw new SweepFailure(failures, evaluated);
  }
  return { protectedVms: fleet.protectedVmIds.length, evaluated, reasons, unchanged: fleet.protectedVmIds.length - work.length, complete, skippedRows: fleet.skipped };
}

/** Some VMs could not be evaluated (storage or ARM trouble); the rest of the sweep was done. */
export class SweepFailure extends Error {
  constructor(
    readonly failures: string[],
    readonly evaluated: number,
  ) {
    super(`${failures.length} VM(s) could not be evaluated (${evaluated} were): ${failures.slice(0, 3).join('; ')}`);
    this.name = 'SweepFailure';
  }
}

function inScope(subscriptionId: string, subscriptions: readonly string[]): boolean {
  return subscriptions.length === 0 || subscriptions.some((s) => idKey(s) === subscriptionId.toLowerCase());
}
