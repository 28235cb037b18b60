import type { z } from 'zod';

/** Keys kept for the log; the count is exact, the list is bounded so a table full of bad rows cannot flood a log. */
const MAX_KEYS = 20;

/**
 * Rows a read met that fail validation (written by hand, by another version, or damaged). One such row must never
 * stop a run or a query: it is skipped and counted here, and the caller logs the keys and reports the count
 * (`skippedRows`). Keys only, never content: a row's fields may hold anything.
 */
export class SkippedRows {
  count = 0;
  readonly keys: string[] = [];

  /** The row validated by `schema`, or null (counted) when it fails. */
  parse<T>(schema: z.ZodType<T>, entity: Record<string, unknown>): T | null {
    const parsed = schema.safeParse(entity);
    if (parsed.success) return parsed.data;
    this.add(entity);
    return null;
  }

  add(entity: { partitionKey?: unknown; rowKey?: unknown }): void {
    this.count += 1;
    if (this.keys.length < MAX_KEYS) this.keys.push(`${String(entity.partitionKey)} | ${String(entity.rowKey)}`);
  }
}
