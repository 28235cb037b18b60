import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

/**
 * ARM's per-subscription read bucket holds 250 requests and refills 25 per second; a sweep that bursts past it gets
 * 429s for everyone using the subscription. Taking a token before each request keeps the process inside the bucket.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity = 250,
    private readonly refillPerSecond = 25,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = capacity;
    this.last = clock();
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000));
    }
  }
}

/** An HTTP client that takes a token from `bucket` before every request it sends (SDK retries included). */
export function rateLimitedHttpClient(bucket: TokenBucket, inner: HttpClient = createDefaultHttpClient()): HttpClient {
  return {
    sendRequest: async (request) => {
      await bucket.take();
      return inner.sendRequest(request);
    },
  };
}
