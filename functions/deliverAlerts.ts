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
  const report = await deliverDueAlerts(services.store, settings.destinations, {
    now: services.now(),
    docsBaseUrl: settings.docsBaseUrl,
    log: (level, message, fields) => (level === 'error' ? context.error(message, fields) : level === 'warn' ? context.warn(message, fields) : context.log(message, fields)),
  });
  if (report.due > 0) context.log('alert delivery run', report);
}

app.timer('deliverAlerts', { schedule: alertSchedule(process.env).schedule, handler: (timer, context) => deliverAlerts(timer, context) });
