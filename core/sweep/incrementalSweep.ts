import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import type { SweepServices } from './sweepServices.js';
import { forEachLimited } from '../platform/concurrency.js';
import type { SweepProjection } from '../store/index.js';
import { idKey } from '../armModel/armId.js';
import { subscriptionOfKey } from './subscriptionOfKey.js';
import { changedVms } from './changedVms.js';
import { clearPolicyMarks, expandedDirtyMarks } from './dirtyMarks.js';
import { protectedVmPages } from './readProtectedFleet.js';
import { markAfter, scopeOf, writeSweepMark, type SweepMark } from './sweepMark.js';
import { withDeadline } from '../platform/callDeadline.js';
import { inScope } from '../platform/subscriptionScope.js';
import { SweepRun, type SweepOptions, type SweepResult } from './sweepRun.js';
import type { SweepDispatch, SweepWork } from '../queue/sweepWorkItem.js';

const READ_CONCURRENCY = 16;

/**
 * The incremental sweep: only the VMs that Resource Graph's change history (after `mark.since`) or a dirty mark says
 * may have changed, read with the protected-VM query narrowed to their ids and decided page by page exactly as the
 * full sweep decides (SweepRun), against their projection rows read one by one. An unchanged fleet costs one change
 * query, one read of the dirty partition and the mark's read and write, whatever its size. Changed VMs that are not
 * in the protected fleet but that the store knows are re-read from ARM (protection removed, VM deleted).
 */
export function runIncrementalSweep(
  services: SweepServices,
  graph: ResourceGraph,
  options: SweepOptions,
  mark: SweepMark,
  dispatch?: SweepDispatch,
): Promise<SweepResult> {
  return withDeadline(options.timeBudgetMs, () => incrementalSweep(services, graph, options, mark, dispatch));
}

async function incrementalSweep(
  services: SweepServices,
  graph: ResourceGraph,
  options: SweepOptions,
  mark: SweepMark,
  dispatch?: SweepDispatch,
): Promise<SweepResult> {
  const started = services.now();
  const expanded = await expandedDirtyMarks(services.store);
  const sweep = new SweepRun(services, options, 'incremental', expanded.marks, dispatch);
  const changed = await changedVms(services.store, graph, options.subscriptions, new Date(mark.since));
  sweep.skip(changed.skipped);
  // Protected dirty VMs are read with the changed ones; the others are re-read below, as the full sweep does.
  for (const [key, dirty] of sweep.dirty) if (dirty.vmId) changed.vms.set(key, dirty.vmId);
  // The store's links (policies, items) can name VMs of subscriptions this sweep does not cover.
  for (const key of changed.vms.keys()) if (!inScope(subscriptionOfKey(key), options.subscriptions)) changed.vms.delete(key);

  // Nothing changed: no request at all.
  try {
    for await (const page of protectedVmPages(services.arm, graph, options.subscriptions, [...changed.vms.values()])) {
      if (sweep.outOfTime()) break;
      await sweep.takePage(page, await projectionsOf(services, page.protectedVmIds));
    }
  } catch (error) {
    if (!sweep.deadlinePassed()) throw error;
  }

  const reread: SweepWork[] = [];
  const candidates = sweep.complete ? [...changed.vms].filter(([key]) => !sweep.seen.has(key) && !sweep.dirty.has(key)) : [];
  await forEachLimited(candidates, READ_CONCURRENCY, async ([, vmId]) => {
    const known = await services.store.projectionOf(vmId);
    if (known)
      reread.push({ kind: 'reread', vmId: known.vmId, reason: known.state === 'present' && known.protectedItemId !== '' ? 'lost-protection' : 'drift' });
  });
  await sweep.run([...reread, ...sweep.dirtyRereads(new Set())]);
  const result = sweep.result();
  if (result.complete) await clearPolicyMarks(services.store, expanded);
  if (result.complete) await writeSweepMark(services.store, markAfter('incremental', started, services.edition.id, scopeOf(options.subscriptions), mark));
  return result;
}

/** The projection rows of a page's VMs: point reads, so the cost follows the changed VMs, not the fleet. */
async function projectionsOf(services: SweepServices, vmIds: readonly string[]): Promise<Map<string, SweepProjection>> {
  const known = new Map<string, SweepProjection>();
  await forEachLimited(vmIds, READ_CONCURRENCY, async (vmId) => {
    const row = await services.store.projectionOf(vmId);
    if (row) known.set(idKey(vmId), row);
  });
  return known;
}
