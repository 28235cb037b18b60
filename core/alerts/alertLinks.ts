import { DEFAULT_DOCS_BASE_URL } from '../matrix/ruleDocsUrl.js';
/**
 * Where an alert's links point. A sovereign cloud has its own portal (a link to portal.azure.com from a US Gov VM
 * opens the wrong cloud and finds nothing), so the portal follows the ARM endpoint unless set explicitly.
 */

export interface AlertLinks {
  /** Base of the rule pages: `<base><ruleId>.md`. Relative (the repository layout) or an https URL. */
  docsBaseUrl: string;
  /** The Azure portal of the cloud the VMs live in, e.g. `https://portal.azure.us`. */
  portalBaseUrl: string;
  /** The findings API (`https://<app>.azurewebsites.net/api/`), when published: digests link each VM to it. */
  findingsApiUrl: string | null;
}

export const PUBLIC_PORTAL = 'https://portal.azure.com';

/** ARM host → portal, for the clouds Microsoft documents (az cloud list: endpoints.resourceManager / portal). */
const PORTAL_OF_ARM_HOST: Record<string, string> = {
  'management.azure.com': PUBLIC_PORTAL,
  'management.usgovcloudapi.net': 'https://portal.azure.us',
  'management.chinacloudapi.cn': 'https://portal.azure.cn',
};

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])$/;

/**
 * The portal for an ARM endpoint; null for one this table does not know (Azure Stack Hub, a future cloud), where
 * guessing would produce links that silently open the wrong place. A loopback endpoint is a test's fake ARM.
 */
export function portalForArmEndpoint(armEndpoint: string): string | null {
  let host: string;
  try {
    host = new URL(armEndpoint).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (LOOPBACK.test(host)) return PUBLIC_PORTAL;
  return PORTAL_OF_ARM_HOST[host] ?? null;
}

export const DEFAULT_LINKS: AlertLinks = { docsBaseUrl: DEFAULT_DOCS_BASE_URL, portalBaseUrl: PUBLIC_PORTAL, findingsApiUrl: null };

/** The VM's blade (`#@/resource` + the ARM id opens it in the signed-in user's tenant). */
export function portalUrlOf(vmId: string, portalBaseUrl: string = PUBLIC_PORTAL): string {
  return `${portalBaseUrl.replace(/\/$/, '')}/#@/resource${vmId}`;
}

/** GET /api/vms/{subscriptionId}/{resourceGroup}/{vmName}: the VM's findings and history, as the API serves them. */
export function findingsApiUrlOf(vm: { subscriptionId: string; resourceGroup: string; name: string }, findingsApiUrl: string): string {
  return `${findingsApiUrl}vms/${[vm.subscriptionId, vm.resourceGroup, vm.name].map(encodeURIComponent).join('/')}`;
}
