import { app, type InvocationContext, type Timer } from '@azure/functions';

/**
 * Retention, daily (RETENTION_SCHEDULE, default 03:30 UTC): resolved findings, settled alert intents and VMs deleted
 * more than RETENTION_DAYS (default 90) ago are removed. It reads the expiry index, not the table, so a run costs
 * what it deletes; a run that fails leaves the rest for the next one (nothing is half-deleted that a rerun misses).
 */
export async function purgeExpired(_timer: Timer, context: InvocationContext): Promise<void> {
  // Imported on first use: the host loads every function's file at start-up (cold start: bench/coldStart.ts).
  const [{ getServices }, { DEFAULT_RETENTION_DAYS, purgeExpired: purge }] = await Promise.all([
    import('../core/runtime/services.js'),
    import('../core/store/index.js'),
  ]);
  const services = getServices();
  const days = services.settings.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const report = await purge(services.store, services.now(), days);
  context.log('retention run finished', { retentionDays: days, ...report });
}

app.timer('purgeExpired', { schedule: process.env.RETENTION_SCHEDULE ?? '0 30 3 * * *', handler: purgeExpired });
