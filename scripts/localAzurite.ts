/**
 * Azurite's Table service, in this process, in memory, on a free loopback port: the real Table Storage for tests
 * and for `npm start`. Deep imports, because the package root import fails (see DESIGN.md). Dev-only.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Azurite's well-known development account (public, documented; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface LocalAzurite {
  connectionString: string;
  close(): Promise<void>;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}

export async function startLocalAzurite(): Promise<LocalAzurite> {
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  // host, port 0 (any free), keep-alive, db path (unused in memory), debug log off, access log off, ..., in memory.
  const configuration = new TableConfiguration('127.0.0.1', 0, undefined, undefined, false, false, undefined, undefined, false, false, '', '', '', undefined, false, true);
  const server: AzuriteServer = new TableServer(configuration);
  await server.start();
  const address = server.getHttpServerAddress();
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};TableEndpoint=${address}/${ACCOUNT};`,
    close: () => server.close(),
  };
}
