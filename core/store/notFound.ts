import { RestError } from '@azure/data-tables';

/**
 * The store's one reading of "404": the row, the partition or the table is not there (a store the product has not
 * written yet has no table). For a read that means empty; for a delete or an ETag-guarded update it means there is
 * nothing left to do. Private to core/store.
 */
export const isStatus = (error: unknown, ...codes: number[]) => error instanceof RestError && codes.includes(error.statusCode ?? 0);

export const isNotFound = (error: unknown): boolean => isStatus(error, 404);

/** The read's value, or `absent` when the table answers 404. */
export async function readOr404<T, A>(read: () => Promise<T>, absent: A): Promise<T | A> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return absent;
    throw error;
  }
}

/**
 * Runs a delete or a guarded update; a 404 (and, with `orChanged`, a 412: the row changed since it was read, so it is
 * someone else's now) is not a failure. Whether the write happened.
 */
export async function ignoreNotFound(write: () => Promise<unknown>, options: { orChanged?: boolean } = {}): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isNotFound(error) || (options.orChanged === true && isStatus(error, 412))) return false;
    throw error;
  }
}
