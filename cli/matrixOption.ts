import { DEFAULT_EDITION_ID, getEdition, UnknownEditionError, type ResolvedEdition } from '../core/matrix/editions/index.js';
import { UsageError } from './io.js';

/** `--matrix` wins over `MATRIX_EDITION`, which wins over the newest shipped edition. */
export function editionFromOptions(matrix: string | undefined, env: Record<string, string | undefined>): ResolvedEdition {
  const id = matrix ?? env.MATRIX_EDITION ?? DEFAULT_EDITION_ID;
  try {
    return getEdition(id);
  } catch (error) {
    if (error instanceof UnknownEditionError) throw new UsageError(matrix === undefined ? `MATRIX_EDITION: ${error.message}` : `--matrix: ${error.message}`);
    throw error;
  }
}
