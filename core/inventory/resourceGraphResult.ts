/**
 * Resource Graph query results, as people save them:
 * - the REST response `{ totalRecords, count, resultTruncated, data, facets, $skipToken }`, where `data` is an array
 *   of row objects (resultFormat objectArray, the default) or a table `{ columns: [{ name, type }], rows: [[...]] }`;
 * - `az graph query` output `{ count, data, skip_token, total_records }`.
 * Returns the rows as objects with the JSON path of each, null when `document` is not such a result, or a message
 * when it is one whose `data` has neither shape.
 */
export interface ResourceGraphRows {
  rows: unknown[];
  path(index: number): (string | number)[];
}

const MARKERS = ['totalRecords', 'total_records', 'skip_token', '$skipToken', 'resultTruncated'];

export function resourceGraphRows(document: Record<string, unknown>): ResourceGraphRows | string | null {
  if (!('data' in document) || !MARKERS.some((k) => k in document) || 'id' in document) return null;
  const data = document.data;
  if (Array.isArray(data)) return { rows: data, path: (i) => ['data', i] };
  if (data !== null && typeof data === 'object' && Array.isArray((data as { columns?: unknown }).columns) && Array.isArray((data as { rows?: unknown }).rows)) {
    const { columns, rows } = data as { columns: unknown[]; rows: unknown[] };
    const names = columns.map((c) => (c !== null && typeof c === 'object' ? String((c as { name?: unknown }).name) : String(c)));
    // A table row becomes the object the objectArray format would have returned.
    const objects = rows.map((row) => (Array.isArray(row) ? Object.fromEntries(names.map((name, i) => [name, row[i]])) : row));
    return { rows: objects, path: (i) => ['data', 'rows', i] };
  }
  return 'a Resource Graph result whose "data" is neither an array of rows nor a { columns, rows } table';
}
