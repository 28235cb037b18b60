/**
 * What the Functions host does for a queue trigger, for tests and local runs, where no host runs (DESIGN.md).
 * Dev-only. It mirrors host.json's `extensions.queues`, read from the file so the two cannot drift:
 * - receive up to `batchSize` messages, each base64-decoded (`messageEncoding`), and hand each to the handler as the
 *   Node worker does: parsed when the text is JSON, else the text; `triggerMetadata` carries id and dequeueCount;
 * - the handler returns: delete the message;
 * - the handler throws: make the message visible again after `visibilityTimeout`, or, once it has been dequeued
 *   `maxDequeueCount` times, copy it to `<queue>-poison` and delete it;
 * - a message that is not base64 goes to the poison queue at once (the host's queues extension does the same);
 * - a message dequeued more than `maxDequeueCount` times (its worker died mid-way) goes there without running.
 * Unlike the host, it runs one batch at a time and stops when the queue is empty.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InvocationContext, type LogLevel, type StorageQueueHandler } from '@azure/functions';
import type { DequeuedMessageItem, QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { z } from 'zod';
import { poisonQueueName } from '../core/queue/sweepQueue.js';

export interface PumpSettings {
  maxDequeueCount: number;
  batchSize: number;
  /** Seconds a failed message stays invisible before its retry. */
  visibilityTimeoutSeconds: number;
}

const timeSpan = z
  .string()
  .regex(/^\d{2}:\d{2}:\d{2}$/, 'must be hh:mm:ss')
  .transform((s) => s.split(':').reduce((total, part) => total * 60 + Number(part), 0));
const hostJson = z.object({
  extensions: z.object({
    queues: z.object({
      maxDequeueCount: z.number().int().positive(),
      batchSize: z.number().int().min(1).max(32),
      visibilityTimeout: timeSpan,
      messageEncoding: z.literal('base64'),
    }),
  }),
});

/** host.json's queue settings, as the host applies them to every queue trigger of the app. */
export function hostQueueSettings(): PumpSettings {
  // From scripts/ (vitest) the file is one level up; from a bundle in dist/bench/, two.
  const file = [new URL('../host.json', import.meta.url), new URL('../../host.json', import.meta.url)].find((url) => existsSync(url))!;
  const { queues } = hostJson.parse(JSON.parse(readFileSync(file, 'utf8'))).extensions;
  return { maxDequeueCount: queues.maxDequeueCount, batchSize: queues.batchSize, visibilityTimeoutSeconds: queues.visibilityTimeout };
}

export interface PumpOptions extends Partial<PumpSettings> {
  functionName?: string;
  /** Where the handler's context.log / warn / error go. */
  log?: (level: LogLevel, ...args: unknown[]) => void;
  /** Give up (throw) when messages are still in flight after this long. */
  timeoutMs?: number;
}

export interface PumpReport {
  /** Handler runs, successful or not. */
  runs: number;
  succeeded: number;
  failed: number;
  /** Messages moved to the poison queue. */
  poisoned: number;
}

/** How long a received message stays invisible while its handler runs (the host renews it; tests are short). */
const LEASE_SECONDS = 60;

/** Runs the handler over the queue until it is empty, as the host would. */
export async function pumpQueue(service: QueueServiceClient, queueName: string, handler: StorageQueueHandler, options: PumpOptions = {}): Promise<PumpReport> {
  const settings = { ...hostQueueSettings(), ...options };
  const queue = service.getQueueClient(queueName);
  const poison = service.getQueueClient(poisonQueueName(queueName));
  const report: PumpReport = { runs: 0, succeeded: 0, failed: 0, poisoned: 0 };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const batch = await receive(queue, settings.batchSize);
    if (batch.length === 0) {
      const waiting = await approximateCount(queue);
      if (waiting === 0) return report;
      // Messages that failed are invisible until their visibility timeout passes.
      if (Date.now() > deadline) throw new Error(`${queue.name}: ${waiting} message(s) still in flight after ${options.timeoutMs ?? 30_000} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    await Promise.all(batch.map((message) => handle({ queue, poison }, handler, message, settings, options, report)));
  }
}

async function handle(
  queues: Queues,
  handler: StorageQueueHandler,
  message: DequeuedMessageItem,
  settings: PumpSettings,
  options: PumpOptions,
  report: PumpReport,
): Promise<void> {
  const { queue } = queues;
  const text = decodeBase64(message.messageText);
  if (message.dequeueCount > settings.maxDequeueCount || text === null) return moveToPoison(queues, message, report);
  const context = new InvocationContext({
    functionName: options.functionName ?? queue.name,
    triggerMetadata: {
      id: message.messageId,
      dequeueCount: message.dequeueCount,
      insertionTime: message.insertedOn.toISOString(),
      popReceipt: message.popReceipt,
    },
    ...(options.log ? { logHandler: options.log } : {}),
  });
  report.runs += 1;
  try {
    await handler(parseJsonOrText(text), context);
  } catch {
    report.failed += 1;
    if (message.dequeueCount >= settings.maxDequeueCount) return moveToPoison(queues, message, report);
    await queue.updateMessage(message.messageId, message.popReceipt, undefined, settings.visibilityTimeoutSeconds);
    return;
  }
  report.succeeded += 1;
  await queue.deleteMessage(message.messageId, message.popReceipt);
}

interface Queues {
  queue: QueueClient;
  poison: QueueClient;
}

async function moveToPoison({ queue, poison }: Queues, message: DequeuedMessageItem, report: PumpReport): Promise<void> {
  await poison.createIfNotExists();
  // The text as it was (still base64), as the host copies it: the poison queue can be replayed into the queue.
  await poison.sendMessage(message.messageText);
  await queue.deleteMessage(message.messageId, message.popReceipt);
  report.poisoned += 1;
}

async function receive(queue: QueueClient, batchSize: number): Promise<DequeuedMessageItem[]> {
  try {
    return (await queue.receiveMessages({ numberOfMessages: batchSize, visibilityTimeout: LEASE_SECONDS })).receivedMessageItems;
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode === 404) return [];
    throw error;
  }
}

async function approximateCount(queue: QueueClient): Promise<number> {
  return (await queue.getProperties()).approximateMessagesCount ?? 0;
}

/** Strict, as .NET's Convert.FromBase64String is (Buffer.from would accept anything). */
function decodeBase64(text: string): string | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return Buffer.from(text, 'base64').toString('utf8');
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
