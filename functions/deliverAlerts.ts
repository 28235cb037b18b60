import { app, type InvocationContext, type Timer } from '@azure/functions';
import { alertSchedule, AlertSettingsError, loadAlertSettings } from '../shared/alerts/alertSettings.js';
import { deliverDueAlerts } from '../shared/alerts/deliverAlerts.js';
import { getServices } from '../shared/runtime/services.js';

/**
 * Timer trigger: delivers the alert outbox (intents committed with the evaluations that caused them). Settings are
 * read on every run — a changed ALERT_DESTINATIONS applies without a restart, and a run costs one JSON parse more.
 * A settings problem is logged (never the value: URLs and secrets) and the run ends; intents stay pending.
 */
export async function deliverAlerts(_timer: Timer, context: InvocationContext): Promise<void> {
  const schedule = alertSchedule(process.env);
  if (schedule.problem) context.warn(schedule.problem);
  let settings;
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
  const services = getServices();
  let report;
  try {
    report = await deliverDueAlerts(services.store, settings.destinations, {
      now: services.now(),
      docsBaseUrl: settings.docsBaseUrl,
      log: (level, message, fields) => (level === 'error' ? context.error(message, fields) : level === 'warn' ? context.warn(message, fields) : context.log(message, fields)),
    });
  } catch (error) {
    // The store could not be read. A RestError carries its request, whose headers hold the storage signature:
    // only its name and status go to the log; the failed invocation shows in monitoring, and the next run retries.
    const status = (error as { statusCode?: unknown }).statusCode;
    const cause = `${error instanceof Error ? error.name : typeof error}${typeof status === 'number' ? ` ${status}` : ''}`;
    context.error('alert delivery run failed; intents stay pending', { error: cause });
    throw new Error(`alert delivery run failed: ${cause}`);
  }
  if (report.due > 0) context.log('alert delivery run', report);
}

app.timer('deliverAlerts', { schedule: alertSchedule(process.env).schedule, handler: (timer, context) => deliverAlerts(timer, context) });
