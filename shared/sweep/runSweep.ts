import { indexInventory } from '../snapshot/inventoryIndex.js';
import { buildVmSnapshot } from '../snapshot/buildVmSnapshot.js';
import { idKey } from '../snapshot/armId.js';
import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import type { EvaluationServices } from '../pipeline/evaluateVm.js';
import { forEachLimited } from '../concurrency.js';
import { subscriptionOfVmKey, type SweepProjection } from '../store/fleetIndex.js';
import { vmPartitionKey } from '../store/tableKeys.js';
import { fingerprintOf } from './fingerprint.js';
import { protectedFleetPages } from './readProtectedFleet.js';
import { applySweepWork, type SweepReason, type SweepWork } from './sweepWork.js';

const WRITE_CONCURRENCY = 8;

export type { SweepReason };

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
  /** Re-evaluations done (or, with a queue dispatcher, handed to the queue). */
  evaluated: number;
  reasons: Record<SweepReason, number>;
  unchanged: number;
  /** false when the time budget ran out: the next run continues with the VMs left (they still differ). */
  complete: boolean;
  skippedRows: string[];
}

/** Where sweep work goes: done here (the default), or enqueued for queue-triggered instances. */
export type SweepDispatch = (work: SweepWork) => Promise<void>;

/**
 * The drift sweep. It streams the protected fleet from Resource Graph a page at a time, compares each VM's
 * fingerprint with the narrow projection row the store keeps per VM (one row per VM: never the findings), and
 * re-evaluates only VMs whose fingerprint changed, that an event marked dirty, whose protection changed, or whose
 * last evaluation is too old — through the same evaluate → applyEvaluation path as events. An unchanged fleet
 * writes nothing. Within a page, never-evaluated and oldest go first; a sweep cut short by its time budget resumes
 * on the next run with what it did not reach (each VM's write is atomic; finished VMs now match).
 */
export async function runSweep(services: EvaluationServices, graph: ResourceGraph, options: SweepOptions, dispatch?: SweepDispatch): Promise<SweepResult> {
  const started = services.now().getTime();
  const send: SweepDispatch = dispatch ?? ((work) => applySweepWork(services, work));
  const scope = options.subscriptions.length > 0 ? options.subscriptions.map((s) => s.toLowerCase()) : await services.store.index.subscriptions();
  const known = new Map<string, SweepProjection>();
  for (const subscription of scope) for await (const p of services.store.index.projections(subscription)) known.set(p.rowKey, p);
  const dirty = await services.store.dirtyMarks();

  const reasons: SweepResult['reasons'] = { new: 0, drift: 0, dirty: 0, 'protection-changed': 0, stale: 0, 'lost-protection': 0 };
  const failures: string[] = [];
  const seen = new Set<string>();
  const skippedRows: string[] = [];
  let evaluated = 0;
  let protectedVms = 0;
  let changed = 0;
  let complete = true;
  const outOfTime = () => services.now().getTime() - started > options.timeBudgetMs;
  const run = async (items: readonly SweepWork[]) => {
    await forEachLimited(items, WRITE_CONCURRENCY, async (work) => {
      if (outOfTime()) {
        complete = false;
        return;
      }
      try {
        await send(work);
        reasons[work.reason] += 1;
        evaluated += 1;
      } catch (error) {
        // One VM's failure must not stop the others; it still differs, so the next run takes it again.
        failures.push(`${work.vmId}: ${(error as Error).message}`);
      }
    });
  };

  for await (const page of protectedFleetPages(services.arm, graph, options.subscriptions)) {
    if (outOfTime()) {
      complete = false;
      break;
    }
    // Evaluations are stored as of the read: an event that stored a fresher read of a VM meanwhile wins.
    const observedAt = services.now().toISOString();
    skippedRows.push(...page.skipped);
    protectedVms += page.protectedVmIds.length;
    for (const id of page.protectedVmIds) seen.add(vmPartitionKey(id));
    for (const vm of page.inventory.virtualMachines) await services.sizes.ensureRegion(vm.location?.replace(/\s+/g, '').toLowerCase() ?? null, vm.id.split('/')[2] ?? '');
    const index = indexInventory(page.inventory);
    const now = services.now().getTime();
    const work: (SweepWork & { age: number })[] = [];
    for (const vm of page.inventory.virtualMachines) {
      const snapshot = buildVmSnapshot(vm, index, services.sizes);
      const fingerprint = fingerprintOf(snapshot, services.edition.id);
      const key = vmPartitionKey(vm.id);
      const stored = known.get(key);
      const age = stored ? now - Date.parse(stored.lastEvaluatedAt) : Number.POSITIVE_INFINITY;
      const reason = reasonFor(stored, dirty.has(key), (snapshot.protection.itemId ?? '').toLowerCase(), fingerprint, age > options.maxAgeMs);
      const dirtyEtag = dirty.get(key)?.etag;
      if (reason) work.push({ kind: 'snapshot', vmId: vm.id, reason, snapshot, fingerprint, observedAt, age, ...(dirtyEtag ? { dirtyEtag } : {}) });
    }
    changed += work.length;
    work.sort((a, b) => b.age - a.age);
    await run(work.map(({ age: _age, ...w }) => w as SweepWork));
  }

  // VMs the store knows as protected that Resource Graph no longer lists: protection removed (or the VM deleted).
  // Dirty VMs outside the protected fleet (a disk of an unprotected VM changed): re-read them from ARM too.
  const reread: SweepWork[] = [];
  // Only a sweep that saw the whole fleet can tell that a VM left it.
  for (const p of complete ? known.values() : []) {
    if (p.state === 'present' && p.protectedItemId !== '' && !seen.has(p.rowKey)) reread.push({ kind: 'reread', vmId: p.vmId, reason: 'lost-protection', ...withEtag(dirty.get(p.rowKey)) });
  }
  const rereadKeys = new Set(reread.map((w) => vmPartitionKey(w.vmId)));
  for (const [key, mark] of dirty) {
    if (seen.has(key) || rereadKeys.has(key) || !mark.vmId || !inScope(subscriptionOfVmKey(key), options.subscriptions)) continue;
    reread.push({ kind: 'reread', vmId: mark.vmId, reason: 'dirty', dirtyEtag: mark.etag });
  }
  await run(reread);
  if (failures.length > 0) throw new SweepFailure(failures, evaluated);
  return { protectedVms, evaluated, reasons, unchanged: protectedVms - changed, complete, skippedRows };
}

function withEtag(mark: { etag: string } | undefined): { dirtyEtag?: string } {
  return mark ? { dirtyEtag: mark.etag } : {};
}

function reasonFor(stored: SweepProjection | undefined, dirty: boolean, itemId: string, fingerprint: string, tooOld: boolean): SweepReason | null {
  if (!stored || stored.state === 'deleted') return 'new';
  if (dirty) return 'dirty';
  if (stored.protectedItemId !== itemId) return 'protection-changed';
  if (stored.fingerprint !== fingerprint) return 'drift';
  return tooOld ? 'stale' : null;
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
