import { app, type InvocationContext, type Timer } from '@azure/functions';

/**
 * The drift sweep, on a timer (SWEEP_SCHEDULE, default every 30 minutes): events get lost and a disk resize is not
 * a VM write, so this is what keeps the findings of protected VMs true. Each run reads only what Resource Graph's
 * change history says changed since the last run (a few requests for an unchanged fleet); when the last full sweep
 * is older than SWEEP_FULL_EVERY_HOURS (default 24), or the edition or scope changed, or the mark is missing or
 * older than the change history reaches, the run is a full sweep instead. One timer rather than two: runs of one
 * timer never overlap, so the two sweeps never race on the mark or on a VM, and an edition switch is acted on at the
 * next run rather than at the next daily tick. Throttling is absorbed (Resource Graph quota, 429 with Retry-After,
 * the ARM read bucket); a failure throws, the mark stays, and the next run reads the same changes again.
 */
export async function sweepProtected(_timer: Timer, context: InvocationContext): Promise<void> {
  // Imported on first use: the host loads every function's file at start-up (cold start: bench/coldStart.ts).
  const [{ ResourceGraph }, { getServices }, { openSweepQueue, queueDispatch }, { runScheduledSweep }] = await Promise.all([
    import('../core/inventory/arm/resourceGraph.js'),
    import('../core/runtime/services.js'),
    import('../core/queue/sweepQueue.js'),
    import('../core/sweep/scheduledSweep.js'),
  ]);
  const services = getServices();
  // Re-evaluations go to the sweep queue, so the platform spreads them over instances (sweepWorker); without a
  // queue endpoint (a table-only connection string) they are done here, within the time budget.
  const queue = await openSweepQueue(services);
  const dispatch = queue
    ? queueDispatch(queue, { onFallback: (vmId) => context.warn('sweep work too big for a queue message; sent as a re-read', { vmId }) })
    : undefined;
  const result = await runScheduledSweep(services, new ResourceGraph(services.arm), services.settings.sweep, dispatch);
  for (const row of result.skippedRows) context.warn('resource left out of the sweep', { row });
  context.log('sweep finished', {
    path: result.path,
    why: result.why,
    queued: queue !== null,
    protectedVms: result.protectedVms,
    evaluated: result.evaluated,
    unchanged: result.unchanged,
    complete: result.complete,
    ...result.reasons,
  });
}

app.timer('sweepProtected', { schedule: process.env.SWEEP_SCHEDULE ?? '0 */30 * * * *', handler: sweepProtected });
