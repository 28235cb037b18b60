import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';

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
}

/** Options every SDK client takes, for both the modular (arm-compute 24) and the core-client generations. */
export function clientOptions(access: ArmAccess) {
  const scope = `${access.endpoint}/.default`;
  return {
    endpoint: access.endpoint,
    credentials: { scopes: [scope] },
    credentialScopes: [scope],
    ...(access.httpClient ? { httpClient: access.httpClient } : {}),
    ...(access.retry ? { retryOptions: access.retry } : {}),
  };
}
