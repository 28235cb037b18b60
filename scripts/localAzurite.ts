/**
 * Azurite's Table and Queue services, in this process, in memory, on free loopback ports: the real Table Storage
 * and Queue Storage for tests and for `npm start`. Deep imports, because the package root import fails (see
 * DESIGN.md). Dev-only.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Azurite's well-known development account (public, documented; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface LocalAzurite {
  /** Names both endpoints (TableEndpoint, QueueEndpoint), so one string reaches the findings table and the queues. */
  connectionString: string;
  close(): Promise<void>;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}

export async function startLocalAzurite(): Promise<LocalAzurite> {
  const [table, queue] = await Promise.all([start(tableServer()), start(queueServer())]);
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};TableEndpoint=${table.getHttpServerAddress()}/${ACCOUNT};QueueEndpoint=${queue.getHttpServerAddress()}/${ACCOUNT};`,
    close: async () => void (await Promise.all([table.close(), queue.close()])),
  };
}

async function start(server: AzuriteServer): Promise<AzuriteServer> {
  await server.start();
  return server;
}

function tableServer(): AzuriteServer {
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  // host, port 0 (any free), keep-alive, db path (unused in memory), debug log off, access log off, ..., in memory.
  const configuration = new TableConfiguration('127.0.0.1', 0, undefined, undefined, false, false, undefined, undefined, false, false, '', '', '', undefined, false, true);
  return new TableServer(configuration);
}

function queueServer(): AzuriteServer {
  const QueueConfiguration = require('azurite/dist/src/queue/QueueConfiguration').default;
  const QueueServer = require('azurite/dist/src/queue/QueueServer').default;
  // host, port 0, keep-alive, metadata and extent db paths and persistence dirs (unused in memory), access log off,
  // its stream, debug log off, its path, not loose, skip the API version check (the SDK's service version is newer
  // than this Azurite's), no TLS cert/key/password, no OAuth, product-style URLs off, in memory.
  const configuration = new QueueConfiguration('127.0.0.1', 0, undefined, undefined, undefined, undefined, false, undefined, false, undefined, false, true, '', '', '', undefined, false, true);
  return new QueueServer(configuration);
}
