import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import type { SweepServices } from './sweepServices.js';
import type { SweepProjection } from '../store/index.js';
import { idKey } from '../armModel/armId.js';
import { clearPolicyMarks, expandedDirtyMarks } from './dirtyMarks.js';
import { protectedFleetPages } from './readProtectedFleet.js';
import { markAfter, scopeOf, writeSweepMark } from './sweepMark.js';
import { withDeadline } from '../platform/callDeadline.js';
import { SweepRun, withEtag, type SweepOptions, type SweepResult } from './sweepRun.js';
import type { SweepDispatch, SweepReason, SweepWork } from '../queue/sweepWorkItem.js';

export type { SweepReason, SweepDispatch, SweepOptions, SweepResult };
export { SweepFailure } from './sweepRun.js';

/**
 * The full drift sweep. It streams the protected fleet from Resource Graph a page at a time and compares each VM's
 * fingerprint with the narrow projection row the store keeps per VM (one row per VM: never the findings); the
 * decision and the dispatch are SweepRun's, shared with the incremental sweep. An unchanged fleet writes nothing
 * but the sweep mark. It alone can tell that a VM left the protected fleet, since it alone sees the whole fleet.
 */
export function runSweep(services: SweepServices, graph: ResourceGraph, options: SweepOptions, dispatch?: SweepDispatch): Promise<SweepResult> {
  return withDeadline(options.timeBudgetMs, () => fullSweep(services, graph, options, dispatch));
}

async function fullSweep(services: SweepServices, graph: ResourceGraph, options: SweepOptions, dispatch?: SweepDispatch): Promise<SweepResult> {
  const started = services.now();
  const scope = options.subscriptions.length > 0 ? options.subscriptions.map((s) => s.toLowerCase()) : await services.store.subscriptions();
  const known = new Map<string, SweepProjection>();
  for (const subscription of scope) for await (const p of services.store.projections(subscription)) known.set(idKey(p.vmId), p);
  const expanded = await expandedDirtyMarks(services.store);
  const sweep = new SweepRun(services, options, 'full', expanded.marks, dispatch);

  try {
    for await (const page of protectedFleetPages(services.arm, graph, options.subscriptions)) {
      if (sweep.outOfTime()) break;
      await sweep.takePage(page, known);
    }
  } catch (error) {
    if (!sweep.deadlinePassed()) throw error;
  }

  // VMs the store knows as protected that Resource Graph no longer lists: protection removed (or the VM deleted).
  // Only a sweep that saw the whole fleet can tell that a VM left it.
  const reread: SweepWork[] = [];
  for (const [key, p] of sweep.complete ? known : []) {
    if (p.state === 'present' && p.protectedItemId !== '' && !sweep.seen.has(key))
      reread.push({ kind: 'reread', vmId: p.vmId, reason: 'lost-protection', ...withEtag(sweep.dirty.get(key)) });
  }
  await sweep.run([...reread, ...sweep.dirtyRereads(new Set(reread.map((w) => idKey(w.vmId))))]);
  const result = sweep.result();
  if (result.complete) await clearPolicyMarks(services.store, expanded);
  if (result.complete) await writeSweepMark(services.store, markAfter('full', started, services.edition.id, scopeOf(options.subscriptions), null));
  return result;
}
