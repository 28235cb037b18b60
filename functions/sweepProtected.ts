import { app, type InvocationContext, type Timer } from '@azure/functions';
import { ResourceGraph } from '../shared/inventory/arm/resourceGraph.js';
import { getServices } from '../shared/runtime/services.js';
import { runSweep } from '../shared/sweep/runSweep.js';

/**
 * The drift sweep, on a timer (SWEEP_SCHEDULE, default every 30 minutes): events get lost and a disk resize is not
 * a VM write, so this is what keeps the findings of protected VMs true. Throttling is absorbed (Resource Graph quota,
 * 429 with Retry-After, the ARM read bucket); a failure throws and the next run starts over from fresh data.
 */
export async function sweepProtected(_timer: Timer, context: InvocationContext): Promise<void> {
  const services = getServices();
  const result = await runSweep(services, new ResourceGraph(services.arm), services.settings.sweep);
  for (const row of result.skippedRows) context.warn('resource left out of the sweep', { row });
  context.log('sweep finished', { protectedVms: result.protectedVms, evaluated: result.evaluated, unchanged: result.unchanged, complete: result.complete, ...result.reasons });
}

app.timer('sweepProtected', { schedule: process.env.SWEEP_SCHEDULE ?? '0 */30 * * * *', handler: sweepProtected });
