import { z } from 'zod';
import { DEFAULT_DOCS_BASE_URL } from '../matrix/ruleDocsUrl.js';
import { portalForArmEndpoint, type AlertLinks } from './alertLinks.js';
import { AlertDestinationsError, parseAlertDestinations, type AlertDestination } from './destinations.js';
export { alertSchedule, DEFAULT_ALERT_SCHEDULE } from './alertSchedule.js';

/** Every minute, on the minute (NCRONTAB with seconds, as Azure Functions timers read it). */

export interface AlertSettings {
  destinations: AlertDestination[];
  /** Base of the rule pages: `<base><ruleId>.md`. Relative (the default) or an https URL. */
  docsBaseUrl: string;
  /** Every link an alert carries: rule pages, the portal of the VMs' cloud, the findings API. */
  links: AlertLinks;
}

export class AlertSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid alert settings: ${problems.join('; ')}`);
    this.name = 'AlertSettingsError';
  }
}

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });
const docsBaseUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL (e.g. https://github.com/<org>/vm-backup-guard/blob/main/docs/rules/)' });

/**
 * The alert settings (kept apart from core/runtime/config.ts: only the delivery function and `alerts` command need them).
 * ALERT_DESTINATIONS: see destinations.ts. ALERT_DOCS_BASE_URL: where the rule pages are published.
 * ALERT_PORTAL_URL: the portal VM links open (default: the portal of ARM_ENDPOINT's cloud). ALERT_FINDINGS_API_URL:
 * the findings API's base (`https://<app>.azurewebsites.net/api/`), which digests link VMs to.
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
  const portal = urlSetting(env, 'ALERT_PORTAL_URL', problems);
  const portalBaseUrl = portal ?? portalForArmEndpoint(env.ARM_ENDPOINT?.trim() || 'https://management.azure.com');
  if (portalBaseUrl === null)
    problems.push(
      'ALERT_PORTAL_URL: is required when ARM_ENDPOINT is not a cloud this version knows (set the portal of that cloud, e.g. https://portal.azure.us)',
    );
  const api = urlSetting(env, 'ALERT_FINDINGS_API_URL', problems);
  if (problems.length > 0) throw new AlertSettingsError(problems);
  const links: AlertLinks = {
    docsBaseUrl: base,
    portalBaseUrl: portalBaseUrl!.replace(/\/$/, ''),
    findingsApiUrl: api === null ? null : api.endsWith('/') ? api : `${api}/`,
  };
  return { destinations, docsBaseUrl: base, links };
}

function urlSetting(env: Record<string, string | undefined>, name: string, problems: string[]): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  const parsed = httpsUrl.safeParse(value);
  if (parsed.success) return parsed.data;
  problems.push(`${name}: ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return null;
}

/** Six NCRONTAB fields (second minute hour day month weekday), or an hh:mm:ss interval (App Service plans). */
