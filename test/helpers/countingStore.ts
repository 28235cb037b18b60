import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { FindingsStore } from '../../core/store/index.js';
import type { Services } from '../../core/runtime/services.js';

export interface TableCounts {
  requests: number;
  /** Entities the table returned (a query's page: its entities; a point read: one). */
  rows: number;
}

/** The same services on a second client of the same table whose pipeline counts requests and rows returned. */
export function withCountingStore(services: Services): { services: Services; counts: TableCounts } {
  const counts: TableCounts = { requests: 0, rows: 0 };
  const policy: PipelinePolicy = {
    name: 'countTableRows',
    sendRequest: async (request, next) => {
      const response = await next(request);
      counts.requests += 1;
      if (request.method === 'GET' && response.status === 200 && response.bodyAsText) {
        const body = JSON.parse(response.bodyAsText) as { value?: unknown[] };
        counts.rows += Array.isArray(body.value) ? body.value.length : 1;
      }
      return response;
    },
  };
  const { storage, findingsTable } = services.settings;
  if (storage.kind !== 'connectionString') throw new Error('counting needs a connection-string store');
  const store = FindingsStore.connect({ connectionString: storage.connectionString }, findingsTable, { additionalPolicies: [{ policy, position: 'perCall' }] });
  return { services: { ...services, store }, counts };
}
