import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ArmReadCache } from './armReadCache.js';

/**
 * How ARM is reached: the credential (managed identity in Azure, `az login` for the CLI, a static token in tests),
 * the ARM endpoint (a setting, for sovereign clouds), and — for tests only — an HTTP client that sends the SDK's
 * requests to a fake ARM server on 127.0.0.1 (the bearer policy insists on https, so the URL is rewritten below it).
 */
export interface ArmAccess {
  credential: TokenCredential;
  endpoint: string;
  httpClient?: HttpClient;
  /** The SDKs' own retry policy (429 with Retry-After, 5xx, network errors). */
  retry?: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  /** Short-lived memory of shared reads (locks, group lists, policies, vaults); none in the CLI's one-off runs. */
  cache?: ArmReadCache;
}

/**
 * No ARM call may wait forever: the pipeline sets no timeout of its own, so each try gets one. A try that times out
 * fails like a network error, which the SDK's retry policy retries and the platform's redelivery covers after that.
 */
export const ARM_TRY_TIMEOUT_MS = 30_000;
const tryTimeout: PipelinePolicy = {
  name: 'vmbgTryTimeout',
  sendRequest: (request, next) => {
    if (!request.timeout) request.timeout = ARM_TRY_TIMEOUT_MS;
    return next(request);
  },
};

/** Options every SDK client takes, for both the modular (arm-compute 24) and the core-client generations. */
export function clientOptions(access: ArmAccess) {
  const scope = `${access.endpoint}/.default`;
  return {
    endpoint: access.endpoint,
    credentials: { scopes: [scope] },
    credentialScopes: [scope],
    additionalPolicies: [{ policy: tryTimeout, position: 'perRetry' as const }],
    ...(access.httpClient ? { httpClient: access.httpClient } : {}),
    ...(access.retry ? { retryOptions: access.retry } : {}),
  };
}
