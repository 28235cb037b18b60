import type { QueueServiceClient } from '@azure/storage-queue';
import { eventQueueName } from './queueNames.js';
import { poisonQueueName, queueServiceFor, sweepQueueName, type QueueConnection } from './sweepQueue.js';
import { vmIdOfMessageText } from './sweepMessage.js';

export interface PoisonMessage {
  id: string;
  insertedOn: string | null;
  /** The VM the work was for; null when the message is not sweep work's JSON (it is never shown). */
  vmId: string | null;
}

/** One poison queue: how many messages wait there, and the first few (by id, time and VM; never their content). */
export interface PoisonQueueReport {
  queue: string;
  /** Approximate, as the service counts; null when the queue could not be read (see `error`). */
  count: number | null;
  messages: PoisonMessage[];
  error?: string;
}

const SHOWN = 5;
/** A report is a side view of `alerts list` and `/api/alerts`: an unreachable queue must not hold them up for long. */
const REPORT_RETRY = { retryOptions: { maxTries: 2, tryTimeoutInMs: 10_000 } };

/** The poison queues of a findings table's work queues: the sweep's and the coalesced events'. */
export async function poisonQueuesOf(connection: QueueConnection | null, findingsTable: string): Promise<PoisonQueueReport[]> {
  const queues = [sweepQueueName(findingsTable), eventQueueName(findingsTable)].map(poisonQueueName);
  const unread = (error: string) => queues.map((queue) => ({ queue, count: null, messages: [], error }));
  if (!connection) return unread('no queue endpoint is configured (FINDINGS_STORAGE__queueServiceUri)');
  let service: QueueServiceClient;
  try {
    service = await queueServiceFor(connection, REPORT_RETRY);
  } catch {
    // A connection string that names no queue endpoint (a TableEndpoint-only string).
    return unread('the storage connection string names no queue endpoint');
  }
  return Promise.all(queues.map((queue) => readPoisonQueue(service, queue)));
}

export async function readPoisonQueue(service: QueueServiceClient, queue: string): Promise<PoisonQueueReport> {
  const client = service.getQueueClient(queue);
  try {
    const [properties, peeked] = await Promise.all([client.getProperties(), client.peekMessages({ numberOfMessages: SHOWN })]);
    return {
      queue,
      count: properties.approximateMessagesCount ?? peeked.peekedMessageItems.length,
      messages: peeked.peekedMessageItems.map((m) => ({
        id: m.messageId,
        insertedOn: m.insertedOn?.toISOString() ?? null,
        vmId: vmIdOfMessageText(m.messageText),
      })),
    };
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    // The host creates a poison queue with its first message: none yet is the good news.
    if (status === 404) return { queue, count: 0, messages: [] };
    // Only the status: a RestError carries its request, whose headers hold the storage signature.
    return { queue, count: null, messages: [], error: `the queue could not be read${typeof status === 'number' ? ` (HTTP ${status})` : ''}` };
  }
}
