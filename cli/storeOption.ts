import { FindingsStore, FINDINGS_TABLE } from '../shared/store/findingsStore.js';
import { UsageError } from './io.js';

/**
 * The findings store a command writes to or reads from: `--store <connection-string>`, else `FINDINGS_STORAGE`;
 * the table from `--table`, else `FINDINGS_TABLE`, else the default. null when neither names a store.
 */
export function storeFromOptions(values: { store?: string; table?: string }, env: Record<string, string | undefined>): { store: FindingsStore; table: string; connectionString: string } | null {
  const connectionString = values.store ?? env.FINDINGS_STORAGE;
  if (connectionString === undefined) return null;
  if (!/AccountName=|TableEndpoint=|UseDevelopmentStorage=true/i.test(connectionString)) {
    throw new UsageError('--store (or FINDINGS_STORAGE) must be a storage connection string (AccountName=...;AccountKey=... or UseDevelopmentStorage=true)');
  }
  const table = values.table ?? env.FINDINGS_TABLE ?? FINDINGS_TABLE;
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(table)) throw new UsageError('--table (or FINDINGS_TABLE) must be 3-63 letters and digits, starting with a letter');
  return { store: FindingsStore.connect({ connectionString }, table), table, connectionString };
}
