import type { StorageQueueHandler } from '@azure/functions';
import { evaluateCoalesced } from '../../functions/evaluateCoalesced.js';
import { pumpQueue, type PumpOptions, type PumpReport } from '../../scripts/localQueuePump.js';
import { openEventQueue } from '../../core/events/eventQueue.js';
import { eventQueueName } from '../../core/queue/queueNames.js';
import { queueConnectionOf, queueServiceFor } from '../../core/queue/sweepQueue.js';
import { setServicesForTesting, type Services } from '../../core/runtime/services.js';

/**
 * The Functions host's part for coalesced events: runs evaluateCoalesced over the services' event queue until it is
 * empty, waiting out each message's window as the host would. Retries come at once (host.json waits
 * `visibilityTimeout` between them).
 */
export async function drainEventQueue(services: Services, options: PumpOptions & { handler?: StorageQueueHandler } = {}): Promise<PumpReport> {
  const connection = queueConnectionOf(services.settings.storage, services.credential);
  if (!connection || !(await openEventQueue(services))) throw new Error('these services have no queue endpoint');
  setServicesForTesting(services);
  return pumpQueue(await queueServiceFor(connection), eventQueueName(services.settings.findingsTable), options.handler ?? evaluateCoalesced, {
    visibilityTimeoutSeconds: 0,
    ...options,
  });
}
