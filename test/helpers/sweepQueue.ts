import type { StorageQueueHandler } from '@azure/functions';
import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { sweepWorker } from '../../functions/sweepWorker.js';
import { pumpQueue, type PumpOptions, type PumpReport } from '../../scripts/localQueuePump.js';
import { openSweepQueue, queueConnectionOf, queueServiceFor, sweepQueueName } from '../../core/queue/sweepQueue.js';
import { setServicesForTesting, type Services } from '../../core/runtime/services.js';

/** The sweep queue of a test's services (its own, named after its table), and the service client the pump needs. */
export async function sweepQueueOf(services: Services): Promise<{ queue: QueueClient; service: QueueServiceClient; name: string }> {
  const queue = await openSweepQueue(services);
  const connection = queueConnectionOf(services.settings.storage, services.credential);
  if (!queue || !connection) throw new Error('these services have no queue endpoint');
  return { queue, service: await queueServiceFor(connection), name: sweepQueueName(services.settings.findingsTable) };
}

/**
 * The Functions host's part: runs `handler` (the sweepWorker by default) over the services' sweep queue until it is
 * empty. Retries come at once here; host.json waits `visibilityTimeout` between them.
 */
export async function drainSweepQueue(services: Services, handler: StorageQueueHandler = sweepWorker, options: PumpOptions = {}): Promise<PumpReport> {
  const { service, name } = await sweepQueueOf(services);
  setServicesForTesting(services);
  return pumpQueue(service, name, handler, { visibilityTimeoutSeconds: 0, ...options });
}
