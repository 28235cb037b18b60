import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * Counts what the findings table is asked to read, from the client side, as a pipeline policy on the TableClient:
 * each response's entities (the `value` array of a query page, 1 for a point read that returned 200). A query whose
 * `$filter` pins no partition (no `PartitionKey eq`) is charged the table's whole row count, because that is what
 * the service must read to answer it, whatever it returns.
 */
export interface RowCount {
  rows: number;
  /** Every request to the table: reads, writes, transactions. */
  requests: number;
  /** Queries that pinned no partition, by their filter (what to look at when a figure is too high). */
  scans: string[];
  /** Requests the table refused with 409 or 412: writers racing for one row (the aggregate, a VM's summary). */
  conflicts: number;
  /** With tracing on (BENCH_FLEET_TRACE=1): each request, what it addressed, and the rows charged for it. */
  trace: string[];
}

const empty = (): RowCount => ({ rows: 0, requests: 0, scans: [], conflicts: 0, trace: [] });

/** What a request addressed, short: the partition and row of a point read, the filter of a query, the batch. */
function target(request: { method: string; url: string }): string {
  const url = new URL(request.url);
  const path = decodeURIComponent(url.pathname).replace(/^\/[^/]+\/[^(]*/, '');
  const filter = url.searchParams.get('$filter');
  return `${request.method} ${path || url.pathname}${filter ? ` ${filter}` : ''}`.slice(0, 240);
}

export class RowCounter {
  private count: RowCount = empty();

  /** What a query with no partition pinned costs: set to the table's row count once it is loaded. */
  tableRows = 0;
  trace = process.env.BENCH_FLEET_TRACE === '1';

  readonly policy: PipelinePolicy = {
    name: 'benchRowCounter',
    sendRequest: async (request, next) => {
      let response: Awaited<ReturnType<typeof next>>;
      try {
        response = await next(request);
      } catch (error) {
        // An error answer (a 404 point read, a 412 ETag race) may surface as a thrown RestError: still a request.
        this.record(request, (error as { statusCode?: number }).statusCode ?? 0, 0);
        throw error;
      }
      this.record(request, response.status, this.rowsOf(request, response));
      return response;
    },
  };

  private rowsOf(request: { method: string; url: string }, response: { status: number; bodyAsText?: string | null }): number {
    if (request.method !== 'GET') return 0;
    const url = new URL(request.url);
    // A point read addresses `table(PartitionKey='…',RowKey='…')`; a query addresses `table()`.
    if (/\(PartitionKey=/.test(decodeURIComponent(url.pathname))) return response.status === 200 ? 1 : 0;
    const filter = url.searchParams.get('$filter') ?? '';
    if (!/\bPartitionKey eq '/.test(filter)) {
      this.count.scans.push(filter || '(no filter)');
      return this.tableRows;
    }
    return response.status === 200 && response.bodyAsText ? ((JSON.parse(response.bodyAsText) as { value?: unknown[] }).value?.length ?? 0) : 0;
  }

  private record(request: { method: string; url: string }, status: number, rows: number): void {
    this.count.requests += 1;
    this.count.rows += rows;
    if (status === 409 || status === 412) this.count.conflicts += 1;
    if (this.trace) this.count.trace.push(`${status} ${rows} rows: ${target(request)}`);
  }

  /** Runs `operation` and returns what it read (counts of concurrent work would mix: measure one thing at a time). */
  async measure<T>(operation: () => Promise<T>): Promise<{ result: T; count: RowCount }> {
    const before = this.count;
    this.count = empty();
    try {
      const result = await operation();
      return { result, count: this.count };
    } finally {
      const during = this.count;
      this.count = {
        rows: before.rows + during.rows,
        requests: before.requests + during.requests,
        scans: [...before.scans, ...during.scans],
        conflicts: before.conflicts + during.conflicts,
        trace: before.trace,
      };
    }
  }
}
