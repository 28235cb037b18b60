import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { loadSettings, type Settings } from './config.js';
import type { ArmAccess } from '../inventory/arm/armAccess.js';
import { ArmReadCache, cacheLifetimeFor } from '../inventory/arm/armReadCache.js';
import { LiveSizeCatalogue } from '../inventory/arm/liveSizeCatalogue.js';
import { skuListerFor } from '../inventory/arm/skuLister.js';
import { rateLimitedHttpClient, TokenBucket } from '../inventory/arm/tokenBucket.js';
import { bundledSizeCatalogue } from '../inventory/sizeCatalogue.js';
import type { EvaluationServices } from '../assessment/evaluationServices.js';
import { FindingsStore } from '../store/index.js';

/** What the functions work with, built once per host process from the settings. */
export interface Services extends EvaluationServices {
  /** The whole store: the functions use it in every role (roles.ts), and the sweep and events through EvaluationServices. */
  store: FindingsStore;
  settings: Settings;
  /** The app's identity, for clients built later (the sweep queue: core/queue). */
  credential: TokenCredential;
}

/**
 * In Azure: DefaultAzureCredential (managed identity), imported lazily so a cold start that never needs it does not
 * load it, and so tests — which inject a static credential — never let it probe the instance metadata address.
 */
async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

export interface ServiceOverrides {
  credential?: () => Promise<TokenCredential>;
  /** Tests: an HTTP client that sends ARM requests to the fake ARM server. */
  httpClient?: HttpClient;
  retry?: ArmAccess['retry'];
  now?: () => Date;
  /** The bench: this process's ARM read bucket (by default ARM's own, 250 and 25 per second). */
  armBucket?: TokenBucket;
}

export function servicesFrom(settings: Settings, overrides: ServiceOverrides = {}): Services {
  const make = overrides.credential ?? defaultCredential;
  let cached: Promise<TokenCredential> | null = null;
  // Clients get a credential that resolves the real one on first use (no identity work at start-up).
  const credential: TokenCredential = {
    getToken: async (scopes, options) => {
      cached ??= make();
      return (await cached).getToken(scopes, options);
    },
  };
  const store = FindingsStore.connect(
    settings.storage.kind === 'connectionString'
      ? { connectionString: settings.storage.connectionString }
      : { tableServiceUri: settings.storage.tableServiceUri, credential },
    settings.findingsTable,
  );
  const arm: ArmAccess = {
    credential,
    endpoint: settings.armEndpoint,
    // Every ARM request of this process takes a token: the sweep never empties the subscription's read bucket.
    httpClient: rateLimitedHttpClient(overrides.armBucket ?? new TokenBucket(), overrides.httpClient),
    ...(overrides.retry ? { retry: overrides.retry } : {}),
    cache: new ArmReadCache(cacheLifetimeFor(settings.coalesceWindowMs ?? 0)),
  };
  return {
    settings,
    credential,
    store,
    arm,
    sizes: new LiveSizeCatalogue(skuListerFor(arm), bundledSizeCatalogue()),
    edition: settings.edition,
    now: overrides.now ?? (() => new Date()),
  };
}

let current: Services | null = null;
let override: Services | null = null;

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
