/** ARM answered 404 for the VM itself: it is gone (or was never there). */
export class VmNotFoundError extends Error {
  constructor(readonly vmId: string) {
    super(`virtual machine ${vmId} was not found`);
    this.name = 'VmNotFoundError';
  }
}

/** The HTTP status of an SDK error (RestError), or undefined for network failures. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Whether a failed ARM read is worth retrying later (throttling, server errors, the network): the SDK already
 * retried it; the caller throws so that the platform (Event Grid) retries the whole evaluation.
 */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status === 408 || status === 429 || status >= 500;
}
