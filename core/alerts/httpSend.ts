/**
 * One POST to a destination, classified. What is recorded and logged is a short description we build (`HTTP 503`,
 * `timeout`, `connection refused`) — never an error's own message, never the URL (both can carry the secret).
 */

export type SendResult =
  | { kind: 'delivered'; status: number }
  /** Worth retrying: 408, 429, 5xx, a timeout, a network failure. */
  | { kind: 'transient'; status: number | null; error: string; retryAfterSeconds: number | null }
  /** Retrying cannot help: any other 4xx (bad payload, revoked URL, wrong secret, 410 Gone), a redirect. */
  | { kind: 'permanent'; status: number; error: string };

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The preferred HTTP-date form (IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`), the one senders must use. */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), relative to the run's clock. Anything else — a
 * negative, signed or fractional number — is ignored (null: the back-off applies); `Date.parse` alone would read
 * `-1` or `1.5` as dates in 2001 and have the destination retried every minute.
 */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!IMF_FIXDATE.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connect timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_SOCKET: 'connection closed',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
};

function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === undefined) return 'network error';
  return NETWORK_ERRORS[code] ?? `network error ${code.replace(/[^A-Z0-9_]/g, '')}`;
}

export async function postJson(
  fetchImpl: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; now: Date },
): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'vm-backup-guard-alerts/1', ...headers },
      // Following a redirect would send the signed body, and Teams' URL, somewhere the setting did not name.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    return { kind: 'transient', status: null, error: describeFailure(error), retryAfterSeconds: null };
  }
  // The body is not needed; releasing it frees the connection for the next request.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'transient', status, error: `HTTP ${status}`, retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after'), options.now) };
  }
  // 410: the receiver says this endpoint is gone for good (the Standard Webhooks convention for "stop sending").
  if (status === 410) return { kind: 'permanent', status, error: 'HTTP 410 Gone (the endpoint is gone)' };
  return { kind: 'permanent', status, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` };
}
