import type { QueueClient } from '@azure/storage-queue';
import { z } from 'zod';
import { eventQueueName } from '../queue/queueNames.js';
import { queueConnectionOf, queueServiceFor, senderTo } from '../queue/sweepQueue.js';
import type { Services } from '../runtime/services.js';
import type { ParsedEvent } from './eventHints.js';

/** Each try of a queue call gets a timeout (the SDK sets none by default): no send may wait forever. */
const QUEUE_RETRY = { retryOptions: { maxTries: 4, tryTimeoutInMs: 30_000 } };

export interface EventQueue {
  queue: QueueClient;
  send(text: string, delaySeconds: number): Promise<void>;
}

const opened = new WeakMap<Services, Promise<EventQueue | null>>();

/** The event queue of the app's settings (one client per services); null when no queue endpoint is configured. */
export function openEventQueue(services: Services): Promise<EventQueue | null> {
  let queue = opened.get(services);
  if (!queue) {
    queue = (async () => {
      const connection = queueConnectionOf(services.settings.storage, services.credential);
      if (!connection) return null;
      const client = (await queueServiceFor(connection, QUEUE_RETRY)).getQueueClient(eventQueueName(services.settings.findingsTable));
      const send = senderTo(client);
      return { queue: client, send: (text: string, delaySeconds: number) => send(text, { visibilityTimeout: delaySeconds }) };
    })();
    opened.set(services, queue);
  }
  return queue;
}

const hint = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vm'), vmId: z.string().min(1) }),
  z.object({ kind: z.literal('disk-or-nic'), resourceId: z.string().min(1) }),
  z.object({ kind: z.literal('protected-item'), itemId: z.string().min(1), deleted: z.boolean() }),
  z.object({ kind: z.literal('policy'), policyId: z.string().min(1) }),
  z.object({ kind: z.literal('lock'), lockId: z.string().min(1) }),
]);

/**
 * A message: the first event of a window (the later ones were coalesced into it) and the mark it holds. `markEtag`,
 * the mark's ETag as written, lets the worker release the mark in one conditional delete; messages sent before it
 * existed lack it and are released by id (a read, then the delete).
 */
export const coalescedMessage = z.object({
  kind: z.literal('coalesced-event'),
  markId: z.string().min(1),
  markEtag: z.string().min(1).optional(),
  event: z.object({ id: z.string().min(1), type: z.string(), time: z.string(), correlationId: z.string().optional(), hint }),
});
export type CoalescedMessage = z.infer<typeof coalescedMessage>;

// Fails to compile when ParsedEvent (eventHints.ts) and this schema part ways.
const sameEvent: [CoalescedMessage['event']] extends [ParsedEvent] ? ([ParsedEvent] extends [CoalescedMessage['event']] ? true : never) : never = true;
void sameEvent;

/** The text sent: base64 JSON, as the Functions host decodes queue messages (host.json `messageEncoding`). */
export function encodeCoalescedMessage(message: CoalescedMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}

/** The trigger's input (parsed JSON, or text when it was not JSON); null when it is not a coalesced event. */
export function parseCoalescedMessage(input: unknown): CoalescedMessage | null {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return null;
    }
  }
  const parsed = coalescedMessage.safeParse(value);
  return parsed.success ? parsed.data : null;
}
