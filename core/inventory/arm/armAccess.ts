import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { callTimeoutPolicy } from '../../platform/callDeadline.js';
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
  /** Per-try timeout; tests shorten it (default ARM_TRY_TIMEOUT_MS). */
  tryTimeoutMs?: number;
}

/**
 * No ARM or Resource Graph call may wait forever: the pipeline sets no timeout of its own, so each try gets one (and
 * the caller's deadline, see callDeadline.ts). A try that times out fails like a network error, which the SDK's retry
 * policy retries and the platform's redelivery covers after that.
 */
export const ARM_TRY_TIMEOUT_MS = 30_000;

/** Options every SDK client takes, for both the modular (arm-compute 24) and the core-client generations. */
export function clientOptions(access: ArmAccess) {
  const scope = `${access.endpoint}/.default`;
  return {
    endpoint: access.endpoint,
    credentials: { scopes: [scope] },
    credentialScopes: [scope],
    additionalPolicies: [{ policy: callTimeoutPolicy(access.tryTimeoutMs ?? ARM_TRY_TIMEOUT_MS), position: 'perRetry' as const }],
    ...(access.httpClient ? { httpClient: access.httpClient } : {}),
    ...(access.retry ? { retryOptions: access.retry } : {}),
  };
}
