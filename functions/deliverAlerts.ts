import { app, type InvocationContext, type Timer } from '@azure/functions';
// The schedule is needed at registration; the rest of the alert path is imported on first run.
import { alertSchedule } from '../core/alerts/alertSchedule.js';
// Name and status only in logs (dependency-free, so loading it at registration costs nothing).
import { errorName } from '../core/platform/safeErrorText.js';
import type { AlertSettings } from '../core/alerts/alertSettings.js';
import type { DeliveryRunReport } from '../core/alerts/deliverAlerts.js';

/**
 * Timer trigger: delivers the alert outbox (intents committed with the evaluations that caused them). Settings are
 * read on every run — a changed ALERT_DESTINATIONS applies without a restart, and a run costs one JSON parse more.
 * A settings problem is logged (never the value: URLs and secrets) and the run ends; intents stay pending.
 */
export async function deliverAlerts(_timer: Timer, context: InvocationContext): Promise<void> {
  const schedule = alertSchedule(process.env);
  if (schedule.problem) context.warn(schedule.problem);
  // The settings module brings zod and the rule catalogue: loaded on the first run, not at registration.
  const { AlertSettingsError, loadAlertSettings } = await import('../core/alerts/alertSettings.js');
  let settings: AlertSettings;
  try {
    settings = loadAlertSettings(process.env);
  } catch (error) {
    if (!(error instanceof AlertSettingsError)) throw error;
    context.error('alert settings are invalid; nothing delivered', { problems: error.problems });
    return;
  }
  if (settings.destinations.length === 0) {
    context.log('no alert destinations configured (ALERT_DESTINATIONS); intents stay pending');
    return;
  }
  // Imported on first use: the host loads every function's file at start-up (cold start: bench/coldStart.ts).
  const [{ deliverDueAlerts }, { getServices }] = await Promise.all([import('../core/alerts/deliverAlerts.js'), import('../core/runtime/services.js')]);
  const services = getServices();
  let report: DeliveryRunReport;
  try {
    report = await deliverDueAlerts(services.store, settings.destinations, {
      now: services.now(),
      links: settings.links,
      log: (level, message, fields) =>
        level === 'error' ? context.error(message, fields) : level === 'warn' ? context.warn(message, fields) : context.log(message, fields),
    });
  } catch (error) {
    // The store could not be read. A RestError carries its request, whose headers hold the storage signature:
    // only its name and status go to the log; the failed invocation shows in monitoring, and the next run retries.
    const cause = errorName(error);
    context.error('alert delivery run failed; intents stay pending', { error: cause });
    throw new Error(`alert delivery run failed: ${cause}`);
  }
  if (report.due > 0) context.log('alert delivery run', report);
}

app.timer('deliverAlerts', { schedule: alertSchedule(process.env).schedule, handler: (timer, context) => deliverAlerts(timer, context) });
