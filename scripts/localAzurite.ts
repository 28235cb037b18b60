/**
 * Azurite's Table and Queue services, in memory, on free loopback ports: the real Table Storage and Queue Storage
 * for tests and for `npm start`. Deep imports, because the package root import fails (see DESIGN.md). Dev-only.
 *
 * By default they run in this process, on the caller's thread. `{ thread: 'worker' }` runs them on a worker thread
 * of their own (own event loop, own heap and GC): a benchmark then times the code under test, not the emulator's
 * request handling (LokiJS, Express) and its garbage, which otherwise run on the same thread (bench/event-latency.ts).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** Azurite's well-known development account (public, documented; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface LocalAzurite {
  /** Names both endpoints (TableEndpoint, QueueEndpoint), so one string reaches the findings table and the queues. */
  connectionString: string;
  close(): Promise<void>;
}

export interface LocalAzuriteOptions {
  /** Where the servers run: on this thread (the default) or on a worker thread of their own. */
  thread?: 'this' | 'worker';
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}

// TableConfiguration: host, port 0 (any free), keep-alive, db path (unused in memory), debug log off, access log off,
// ..., in memory.
const TABLE_ARGS = ['127.0.0.1', 0, undefined, undefined, false, false, undefined, undefined, false, false, '', '', '', undefined, false, true];
// QueueConfiguration: host, port 0, keep-alive, metadata and extent db paths and persistence dirs (unused in memory),
// access log off, its stream, debug log off, its path, not loose, skip the API version check (the SDK's service
// version is newer than this Azurite's), no TLS cert/key/password, no OAuth, product-style URLs off, in memory.
const QUEUE_ARGS = [
  '127.0.0.1',
  0,
  undefined,
  undefined,
  undefined,
  undefined,
  false,
  undefined,
  false,
  undefined,
  false,
  true,
  '',
  '',
  '',
  undefined,
  false,
  true,
];

const connectionStringFor = (tableAddress: string, queueAddress: string) =>
  `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};TableEndpoint=${tableAddress}/${ACCOUNT};QueueEndpoint=${queueAddress}/${ACCOUNT};`;

export async function startLocalAzurite(options: LocalAzuriteOptions = {}): Promise<LocalAzurite> {
  if (options.thread === 'worker') return startOnWorker();
  const [table, queue] = await Promise.all([start(tableServer()), start(queueServer())]);
  return {
    connectionString: connectionStringFor(table.getHttpServerAddress(), queue.getHttpServerAddress()),
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
  return new TableServer(new TableConfiguration(...TABLE_ARGS));
}

function queueServer(): AzuriteServer {
  const QueueConfiguration = require('azurite/dist/src/queue/QueueConfiguration').default;
  const QueueServer = require('azurite/dist/src/queue/QueueServer').default;
  return new QueueServer(new QueueConfiguration(...QUEUE_ARGS));
}

/**
 * The worker's code, as text (this module is bundled into scripts and benchmarks, so it has no file of its own to
 * start a worker from): the same two servers, built from the same arguments, resolved from this module's location.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const load = require('node:module').createRequire(workerData.requireFrom);
(async () => {
  const TableConfiguration = load('azurite/dist/src/table/TableConfiguration').default;
  const TableServer = load('azurite/dist/src/table/TableServer').default;
  const QueueConfiguration = load('azurite/dist/src/queue/QueueConfiguration').default;
  const QueueServer = load('azurite/dist/src/queue/QueueServer').default;
  const servers = [new TableServer(new TableConfiguration(...workerData.table)), new QueueServer(new QueueConfiguration(...workerData.queue))];
  await Promise.all(servers.map((s) => s.start()));
  parentPort.once('message', async () => {
    await Promise.all(servers.map((s) => s.close()));
    parentPort.postMessage({ closed: true });
  });
  parentPort.postMessage({ addresses: servers.map((s) => s.getHttpServerAddress()) });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

async function startOnWorker(): Promise<LocalAzurite> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { requireFrom: import.meta.url, table: TABLE_ARGS, queue: QUEUE_ARGS } });
  const reply = () =>
    new Promise<{ addresses?: [string, string]; error?: string; closed?: boolean }>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', (message) => {
        worker.off('error', onError);
        resolve(message);
      });
    });
  const started = await reply();
  if (!started.addresses) {
    await worker.terminate();
    throw new Error(`Azurite did not start on its worker: ${started.error ?? 'no address'}`);
  }
  const [table, queue] = started.addresses;
  return {
    connectionString: connectionStringFor(table, queue),
    close: async () => {
      const closed = reply();
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}
