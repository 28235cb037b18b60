import { z } from 'zod';
import { AlertDestinationsError, parseAlertDestinations, type AlertDestination } from './destinations.js';

/** Every minute, on the minute (NCRONTAB with seconds, as Azure Functions timers read it). */
export const DEFAULT_ALERT_SCHEDULE = '0 */1 * * * *';
/** Where rule pages are linked from alerts when no site is configured: the repository's own layout. */
export const DEFAULT_DOCS_BASE_URL = 'docs/rules/';

export interface AlertSettings {
  destinations: AlertDestination[];
  /** Base of the rule pages: `<base><ruleId>.md`. Relative (the default) or an https URL. */
  docsBaseUrl: string;
}

export class AlertSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid alert settings: ${problems.join('; ')}`);
    this.name = 'AlertSettingsError';
  }
}

const docsBaseUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL (e.g. https://github.com/<org>/vm-backup-guard/blob/main/docs/rules/)' });

/**
 * The alert settings (kept apart from shared/config.ts: only the delivery function and `alerts` command need them).
 * ALERT_DESTINATIONS: see destinations.ts. ALERT_DOCS_BASE_URL: where the rule pages are published.
 */
export function loadAlertSettings(env: Record<string, string | undefined>): AlertSettings {
  const problems: string[] = [];
  let destinations: AlertDestination[] = [];
  try {
    destinations = parseAlertDestinations(env.ALERT_DESTINATIONS);
  } catch (error) {
    if (!(error instanceof AlertDestinationsError)) throw error;
    problems.push(...error.problems);
  }
  let base = DEFAULT_DOCS_BASE_URL;
  const configured = env.ALERT_DOCS_BASE_URL?.trim();
  if (configured) {
    const parsed = docsBaseUrl.safeParse(configured);
    if (parsed.success) base = parsed.data.endsWith('/') ? parsed.data : `${parsed.data}/`;
    else problems.push(`ALERT_DOCS_BASE_URL: ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  }
  if (problems.length > 0) throw new AlertSettingsError(problems);
  return { destinations, docsBaseUrl: base };
}

/** Six NCRONTAB fields (second minute hour day month weekday), or an hh:mm:ss interval (App Service plans). */
const SCHEDULE = /^(?:\S+ ){5}\S+$|^\d{2}:\d{2}:\d{2}$/;

/**
 * The timer's schedule from ALERT_SCHEDULE. It is read when the app registers its functions, where throwing would
 * take every other function down with it: an invalid value falls back to the default, and the problem is returned
 * so that each run can warn about it.
 */
export function alertSchedule(env: Record<string, string | undefined>): { schedule: string; problem: string | null } {
  const value = env.ALERT_SCHEDULE?.trim();
  if (!value) return { schedule: DEFAULT_ALERT_SCHEDULE, problem: null };
  if (SCHEDULE.test(value) && /^[0-9*/,\-A-Za-z: ]+$/.test(value)) return { schedule: value, problem: null };
  return { schedule: DEFAULT_ALERT_SCHEDULE, problem: `ALERT_SCHEDULE is not a six-field NCRONTAB expression (e.g. "${DEFAULT_ALERT_SCHEDULE}"); using the default` };
}
