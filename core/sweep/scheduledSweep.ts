import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import type { SweepServices } from './sweepServices.js';
import { runIncrementalSweep } from './incrementalSweep.js';
import { runSweep } from './runSweep.js';
import { DEFAULT_FULL_SWEEP_EVERY_HOURS } from '../runtime/config.js';
import { planSweep, readSweepMark, scopeOf } from './sweepMark.js';
import type { SweepOptions, SweepResult } from './sweepRun.js';
import type { SweepDispatch } from '../queue/sweepWorkItem.js';

export interface ScheduledSweepOptions extends SweepOptions {
  /** A full sweep at least this often; incremental sweeps in between. Default DEFAULT_FULL_SWEEP_EVERY_HOURS. */
  fullEveryMs?: number;
}

/**
 * What the sweep timer runs: the incremental sweep when the mark allows it, else the full sweep (see planSweep for
 * when). `why` says which and why, for the log.
 */
export async function runScheduledSweep(
  services: SweepServices,
  graph: ResourceGraph,
  options: ScheduledSweepOptions,
  dispatch?: SweepDispatch,
): Promise<SweepResult & { why: string }> {
  const plan = planSweep(
    await readSweepMark(services.store),
    services.now(),
    services.edition.id,
    scopeOf(options.subscriptions),
    options.fullEveryMs ?? DEFAULT_FULL_SWEEP_EVERY_HOURS * 3_600_000,
  );
  const result =
    plan.path === 'full' ? await runSweep(services, graph, options, dispatch) : await runIncrementalSweep(services, graph, options, plan.mark, dispatch);
  return { ...result, why: plan.why };
}
