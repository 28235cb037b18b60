import type { TokenCredential } from '@azure/core-auth';
import type { QueueClient, QueueServiceClient, StoragePipelineOptions } from '@azure/storage-queue';
import type { StorageSetting } from '../runtime/config.js';
import type { SweepDispatch } from './sweepWorkItem.js';
import { encodeSweepWork } from './sweepMessage.js';

/**
 * Sweep work through an Azure Storage queue: the sweep's timer only decides and enqueues, and the queue-triggered
 * sweepWorker does the re-evaluations, spread over as many instances as the backlog calls for (Flex Consumption
 * scales queue triggers by queue length). The VM partition stays the truth: a message that is lost leaves the VM's
 * projection row differing from what Resource Graph shows, so the next sweep sends it again.
 */

import { sweepQueueName } from './queueNames.js';

export { poisonQueueName, SWEEP_QUEUE_CONNECTION, sweepQueueName } from './queueNames.js';

/** Messages older than this are dropped by the service: later sweeps have sent fresher work for the same VMs. */
const MESSAGE_TTL_SECONDS = 24 * 3600;

export type QueueConnection = { connectionString: string } | { queueServiceUri: string; credential: TokenCredential };

/**
 * The queue side of the findings storage setting, as the Functions host reads the same connection name: the
 * connection string (Azurite's names a QueueEndpoint), or `FINDINGS_STORAGE__queueServiceUri` with the identity.
 * null when the identity setting names no queue endpoint.
 */
export function queueConnectionOf(storage: StorageSetting, credential: TokenCredential): QueueConnection | null {
  if (storage.kind === 'connectionString') return { connectionString: storage.connectionString };
  return storage.queueServiceUri ? { queueServiceUri: storage.queueServiceUri, credential } : null;
}

/** The queue SDK is imported on first use: cold starts of functions that never touch a queue do not load it. */
export async function queueServiceFor(connection: QueueConnection, options: StoragePipelineOptions = {}): Promise<QueueServiceClient> {
  const { QueueServiceClient } = await import('@azure/storage-queue');
  if ('connectionString' in connection) return QueueServiceClient.fromConnectionString(connection.connectionString, options);
  return new QueueServiceClient(connection.queueServiceUri.replace(/\/$/, ''), connection.credential, options);
}

/** The sweep queue of the app's settings; null when none is configured (the sweep then works inline). */
export async function openSweepQueue(services: {
  settings: { storage: StorageSetting; findingsTable: string };
  credential: TokenCredential;
}): Promise<QueueClient | null> {
  const connection = queueConnectionOf(services.settings.storage, services.credential);
  if (!connection) return null;
  return (await queueServiceFor(connection)).getQueueClient(sweepQueueName(services.settings.findingsTable));
}

export interface QueueDispatchOptions {
  /** Told when a piece of work was too big for a message and went as a `reread`. */
  onFallback?: (vmId: string) => void;
}

/** Sends to a queue that is created on first use (a failed create is tried again by the next send). */
export function senderTo(queue: QueueClient): (text: string, options?: { visibilityTimeout?: number }) => Promise<void> {
  let ready: Promise<unknown> | null = null;
  return async (text, options = {}) => {
    ready ??= queue.createIfNotExists().catch((error: unknown) => {
      ready = null;
      throw error;
    });
    await ready;
    await queue.sendMessage(text, { messageTimeToLive: MESSAGE_TTL_SECONDS, ...options });
  };
}

/** A SweepDispatch that sends each piece of work as one message; the queue is created on first use. */
export function queueDispatch(queue: QueueClient, options: QueueDispatchOptions = {}): SweepDispatch {
  const send = senderTo(queue);
  return async (work) => {
    const { text, fellBackToReread } = encodeSweepWork(work);
    if (fellBackToReread) options.onFallback?.(work.vmId);
    await send(text);
  };
}
