import type { TokenCredential } from '@azure/core-auth';
import { AzureCliCredential, DefaultAzureCredential } from '@azure/identity';
import type { QueueConnection } from '../core/queue/sweepQueue.js';
import { FindingsStore, FINDINGS_TABLE } from '../core/store/index.js';
import { UsageError, type StoreAccessForTests } from './io.js';
import { safeErrorMessage } from '../core/platform/safeErrorText.js';

/** The options of every command that opens the findings store: `--store`, `--table`, `--auth` (see storeFromOptions). */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  table: { type: 'string' },
  auth: { type: 'string' },
} as const;

export interface StoreTarget {
  store: FindingsStore;
  table: string;
  /** The same account's queues (poison queue reports): from the connection string, or the table URL's account. */
  queue: QueueConnection | null;
}

const USAGE =
  '--store (or FINDINGS_STORAGE) must be a storage connection string (AccountName=...;AccountKey=... or UseDevelopmentStorage=true), or a table service URL https://<account>.table.core.windows.net with --auth azure-cli|default';

/**
 * The findings store a command writes to or reads from: `--store`, else `FINDINGS_STORAGE`, else
 * `FINDINGS_STORAGE__tableServiceUri` (the Function App's own identity-based setting). A connection string carries
 * its key; a table service URL is read with Entra ID (`--auth azure-cli` or `default`, chosen explicitly: the
 * deployed account disables shared keys). The table from `--table`, else `FINDINGS_TABLE`, else the default. null
 * when nothing names a store.
 */
export function storeFromOptions(
  values: { store?: string; table?: string; auth?: string },
  env: Record<string, string | undefined>,
  forTests?: StoreAccessForTests,
): StoreTarget | null {
  const given = values.store ?? env.FINDINGS_STORAGE ?? env.FINDINGS_STORAGE__tableServiceUri;
  if (given === undefined) return null;
  const table = values.table ?? env.FINDINGS_TABLE ?? FINDINGS_TABLE;
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(table)) throw new UsageError('--table (or FINDINGS_TABLE) must be 3-63 letters and digits, starting with a letter');
  if (/^https:\/\//i.test(given)) {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new UsageError(USAGE);
    }
    const credential = forTests?.credential ?? credentialFor(values.auth);
    const tableServiceUri = given.replace(/\/+$/, '');
    const store = FindingsStore.connect({ tableServiceUri, credential }, table, forTests?.clientOptions);
    const account = /^([a-z0-9]+)\.table\.(.+)$/i.exec(url.hostname);
    return { store, table, queue: account ? { queueServiceUri: `https://${account[1]}.queue.${account[2]}`, credential } : null };
  }
  if (!/AccountName=|TableEndpoint=|UseDevelopmentStorage=true/i.test(given)) throw new UsageError(USAGE);
  const problem = connectionStringProblem(given);
  if (problem) throw new UsageError(`--store (or FINDINGS_STORAGE): ${problem}`);
  let store: FindingsStore;
  try {
    store = FindingsStore.connect({ connectionString: given }, table);
  } catch (error) {
    // The SDK's own words name the part it could not use; redacted all the same, since the string holds the key.
    throw new UsageError(`--store (or FINDINGS_STORAGE): not a usable connection string (${safeErrorMessage(error)})`);
  }
  return { store, table, queue: { connectionString: given } };
}

/**
 * What the SDK accepts but cannot use (found only at the first request, as a 403 or a stack trace): a key that is not
 * base64, an endpoint that is not an http(s) URL. Names the part, never its value.
 */
function connectionStringProblem(connectionString: string): string | null {
  if (/^\s*UseDevelopmentStorage=true\s*;?\s*$/i.test(connectionString)) return null;
  for (const part of connectionString.split(';')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) return 'each part must be Name=value';
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (/^AccountKey$/i.test(name) && !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return 'AccountKey is not base64';
    if (/Endpoint$/i.test(name) && !/^https?:\/\/[^\s/]+/i.test(value)) return `${name} is not an http(s) URL`;
  }
  return null;
}

function credentialFor(auth: string | undefined): TokenCredential {
  if (auth === 'azure-cli') return new AzureCliCredential();
  if (auth === 'default') return new DefaultAzureCredential();
  throw new UsageError(
    `a table service URL needs --auth azure-cli or --auth default (choose the credential explicitly)${auth === undefined ? '' : `; got "${auth}"`}`,
  );
}
