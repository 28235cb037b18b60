import { getClient } from '@azure-rest/core-client';
import type { ArmAccess } from './armAccess.js';
import { clientOptions } from './armAccess.js';

export interface ResourceGraphPage<T> {
  data: T[];
  skipToken: string | null;
}

/** Seconds in Resource Graph's `x-ms-user-quota-resets-after` (`hh:mm:ss`). */
function secondsOf(duration: string | undefined): number {
  const m = /^(\d+):(\d+):(\d+)/.exec(duration ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

/**
 * Azure Resource Graph queries, paged (1,000 rows, `$skipToken`), with the REST client whose pipeline retries 429
 * and 5xx honouring Retry-After (the arm-resourcegraph SDK does not retry 429). It also respects the per-user quota:
 * when `x-ms-user-quota-remaining` reaches 0 it waits until `x-ms-user-quota-resets-after` before the next query.
 */
export class ResourceGraph {
  private readonly client;
  private quotaResetsAt = 0;
  requests = 0;

  constructor(
    access: ArmAccess,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly clock: () => number = Date.now,
  ) {
    this.client = getClient(access.endpoint, access.credential, clientOptions(access));
  }

  async page<T>(subscriptions: readonly string[], query: string, skipToken: string | null): Promise<ResourceGraphPage<T>> {
    const wait = this.quotaResetsAt - this.clock();
    if (wait > 0) await this.sleep(wait);
    this.requests += 1;
    const response = await this.client.path('/providers/Microsoft.ResourceGraph/resources').post({
      queryParameters: { 'api-version': '2022-10-01' },
      body: { subscriptions, query, options: { $top: 1000, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) } },
    });
    const remaining = Number(response.headers['x-ms-user-quota-remaining']);
    if (remaining === 0) this.quotaResetsAt = this.clock() + secondsOf(response.headers['x-ms-user-quota-resets-after']) * 1000;
    if (response.status !== '200') {
      const body = response.body as { error?: { code?: string; message?: string } };
      throw Object.assign(new Error(`Resource Graph answered ${response.status}: ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`.trim()), {
        statusCode: Number(response.status),
      });
    }
    const body = response.body as { data?: T[]; $skipToken?: string };
    return { data: body.data ?? [], skipToken: body.$skipToken ?? null };
  }

  /** Every row of a query, page by page. */
  async *rows<T>(subscriptions: readonly string[], query: string): AsyncGenerator<T> {
    let token: string | null = null;
    do {
      const page: ResourceGraphPage<T> = await this.page<T>(subscriptions, query, token);
      yield* page.data;
      token = page.skipToken;
    } while (token);
  }
}
