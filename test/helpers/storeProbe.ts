import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';
import { FindingsStore } from '../../core/store/index.js';

/**
 * Pipeline policies for a FindingsStore's TableClient (FindingsStore.connect's `options`): one records what each
 * request touches, one fails chosen requests before they leave — a crash at a chosen point, as the service sees it.
 */

export interface SeenRequest {
  method: string;
  /** Decoded: `$filter=PartitionKey eq '…'`, `table(PartitionKey='…',RowKey='…')`. */
  url: string;
  /** A transaction's multipart body (each operation's URL and entity); empty for other requests. */
  body: string;
}

function seen(request: PipelineRequest): SeenRequest {
  let url = request.url;
  try {
    url = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    // A key with a lone `%` stays encoded: the checks below only look for `ix.` after a quote.
  }
  return { method: request.method, url, body: typeof request.body === 'string' ? request.body : '' };
}

/** The request names an index partition (`ix.*`) in its URL (key, filter) or in a transaction's body. */
export const touchesIndex = (r: SeenRequest): boolean => /['"]ix\./.test(r.url) || /['"]ix\./.test(r.body);

/** A query (not a point read): GET of the table's rows with a `$filter`, or with none (a scan). */
export const isQuery = (r: SeenRequest): boolean => r.method === 'GET' && !/\(PartitionKey=/.test(r.url) && !/\/Tables/.test(r.url);

export function recordingPolicy(): { policy: PipelinePolicy; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  return {
    requests,
    policy: {
      name: 'test-recorder',
      sendRequest: (request, next) => {
        requests.push(seen(request));
        return next(request);
      },
    },
  };
}

export class InjectedFault extends Error {
  constructor(what: SeenRequest) {
    super(`injected fault: ${what.method} ${what.url}`);
    this.name = 'InjectedFault';
  }
}

/** Fails every request `fails` picks while `armed` is true (the store's own writes before that go through). */
export function faultPolicy(fails: (r: SeenRequest) => boolean): { policy: PipelinePolicy; armed: boolean; failed: SeenRequest[] } {
  const state = {
    armed: true,
    failed: [] as SeenRequest[],
    policy: {
      name: 'test-fault',
      sendRequest: (request: PipelineRequest, next: (r: PipelineRequest) => ReturnType<PipelinePolicy['sendRequest']>) => {
        const r = seen(request);
        if (state.armed && fails(r)) {
          state.failed.push(r);
          return Promise.reject(new InjectedFault(r));
        }
        return next(request);
      },
    } satisfies PipelinePolicy,
  };
  return state;
}

export function storeWithPolicy(connectionString: string, table: string, policy: PipelinePolicy): FindingsStore {
  return FindingsStore.connect({ connectionString }, table, { additionalPolicies: [{ policy, position: 'perCall' }] });
}

/** Whether the table holds this row (a point read past every index and check). */
export const rowExists = (store: FindingsStore, partitionKey: string, rowKey: string): Promise<boolean> =>
  store.table.getEntity(partitionKey, rowKey).then(
    () => true,
    (error: { statusCode?: number }) => (error.statusCode === 404 ? false : Promise.reject(error)),
  );
