import type { TokenCredential } from '@azure/core-auth';
import { loadSettings, type Settings } from '../config.js';
import { FindingsStore } from '../store/findingsStore.js';

/** What the functions work with, built once per host process from the settings. */
export interface Services {
  settings: Settings;
  store: FindingsStore;
  credential: () => Promise<TokenCredential>;
}

let current: Services | null = null;
let override: Services | null = null;

/**
 * In Azure: DefaultAzureCredential (managed identity), imported lazily so a cold start that never needs it does not
 * load it, and so tests — which inject a static credential — never let it probe the instance metadata address.
 */
async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

export function servicesFrom(settings: Settings, credential: () => Promise<TokenCredential> = defaultCredential): Services {
  let cached: Promise<TokenCredential> | null = null;
  const sharedCredential = () => (cached ??= credential());
  // The table client gets a credential that resolves the real one on first use (no identity work at start-up).
  const deferred: TokenCredential = { getToken: async (scopes, options) => (await sharedCredential()).getToken(scopes, options) };
  const store = FindingsStore.connect(
    settings.storage.kind === 'connectionString' ? { connectionString: settings.storage.connectionString } : { tableServiceUri: settings.storage.tableServiceUri, credential: deferred },
    settings.findingsTable,
  );
  return { settings, store, credential: sharedCredential };
}

/** The services of this host process (from `process.env`), or those a test installed. */
export function getServices(): Services {
  if (override) return override;
  current ??= servicesFrom(loadSettings(process.env));
  return current;
}

/** Tests install services built on Azurite and the fake ARM server; `null` restores the default. */
export function setServicesForTesting(services: Services | null): void {
  override = services;
}
