import { randomUUID } from 'node:crypto';
import { RestError, type TableClient } from '@azure/data-tables';
import { idKey, parseArmId } from '../armModel/armId.js';
import { hintResourceId, type EventHint, type ParsedEvent } from './eventHints.js';
import { eventTarget, type EventTarget } from './eventTarget.js';
import { encodeCoalescedMessage, type CoalescedMessage, type EventQueue } from './eventQueue.js';

/**
 * Event coalescing. A burst (a deployment, a policy rollout) writes the same VM, its NICs and disks many times within
 * seconds; each event used to cost a full evaluation. Now the first event for a resource writes a **mark** (its
 * de-duplication key) and sends one queue message, hidden for the window (the queue's visibility delay); every event
 * for the same resource while the mark stands adds nothing. When the message shows, the worker deletes the mark
 * **before** it reads ARM, then evaluates: an event that arrives after the delete opens a new window, and one that
 * arrived before it is covered by a read made after it. That ordering is what keeps a delete (or any write) from
 * being lost behind a coalesced one, whatever the clocks of the instances say.
 *
 * Marks live in the findings table, one partition per subscription (`ix.coalesce.<subscription>`, row key: the
 * resource's key), so a storm in one subscription stays within one partition's 2,000 operations per second.
 */
export const COALESCE_PARTITION_PREFIX = 'ix.coalesce.';

/**
 * A mark still standing this long after its message was due lost its message (the send failed, and so did the
 * clean-up): the next event replaces it. Long enough for a backlog of throttled evaluations to drain first; a mark
 * replaced too early costs one extra evaluation, never a lost one.
 */
export const ORPHANED_AFTER_MS = 10 * 60_000;

/**
 * What an event is coalesced on: the resource it names. A policy event is one cheap row already: never coalesced. A
 * lock event is (on the lock): its worker re-evaluates the VMs under the lock, and a burst of writes to one lock
 * should cost that once.
 */
export function coalesceTarget(hint: EventHint): string | null {
  return hint.kind === 'policy' ? null : hintResourceId(hint);
}

/**
 * Disk and NIC writes are looked at a little after the window: a VM create writes its NICs and disks around the VM
 * write, and the VM's evaluation, due at about the same time, then goes first and covers them (handleEvent). At most
 * one window more.
 */
export const DRIFT_LAG_MS = 5_000;

/** The mark's keys; `subscriptionId` when the caller parsed the id already (an event's target). */
export function markKey(targetId: string, subscriptionId = parseArmId(targetId).subscriptionId): { partitionKey: string; rowKey: string } {
  const subscription = (subscriptionId ?? 'none').toLowerCase();
  return { partitionKey: `${COALESCE_PARTITION_PREFIX}${encodeURIComponent(subscription)}`, rowKey: encodeURIComponent(idKey(targetId)) };
}

interface Mark {
  partitionKey: string;
  rowKey: string;
  markId: string;
  dueAt: string;
  eventId: string;
}

export type CoalesceOutcome = { action: 'enqueued'; dueAt: string } | { action: 'coalesced'; into: string };

const statusOf = (error: unknown) => (error instanceof RestError ? error.statusCode : undefined);

/** Writes the mark; on 409 returns the mark that stands. Creates the table when it is not there yet. */
async function createMark(table: TableClient, mark: Mark): Promise<{ created: true; etag: string } | { created: false; existing: Mark & { etag: string } }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { created: true, etag: (await table.createEntity(mark)).etag ?? '*' };
    } catch (error) {
      if (statusOf(error) === 404 && attempt === 1) {
        await table.createTable();
        continue;
      }
      if (statusOf(error) !== 409) throw error;
      try {
        const existing = await table.getEntity<Mark>(mark.partitionKey, mark.rowKey);
        return { created: false, existing: existing as Mark & { etag: string } };
      } catch (readError) {
        // The worker deleted it between our create and our read: try once more to open the window.
        if (statusOf(readError) !== 404 || attempt > 2) throw readError;
      }
    }
  }
}

/**
 * Coalesces one event: the first for its resource in a window enqueues the evaluation, due after the window; the
 * rest add nothing. A failure throws (Event Grid redelivers the event) and leaves no mark that would hide it.
 */
export async function coalesceEvent(
  table: TableClient,
  queue: EventQueue,
  event: ParsedEvent,
  windowMs: number,
  now: Date,
  parsed: EventTarget = eventTarget(event.hint),
): Promise<CoalesceOutcome> {
  const target = coalesceTarget(event.hint);
  if (!target) throw new Error(`${event.hint.kind} events are not coalesced`);
  const delayMs = windowMs + (event.hint.kind === 'disk-or-nic' ? Math.min(DRIFT_LAG_MS, windowMs) : 0);
  const dueAt = new Date(now.getTime() + delayMs).toISOString();
  const mark: Mark = { ...markKey(target, parsed.subscriptionId), markId: randomUUID(), dueAt, eventId: event.id };
  const written = await createMark(table, mark);
  let etag: string;
  if (written.created) etag = written.etag;
  else {
    const standing = written.existing;
    if (Date.parse(standing.dueAt) + ORPHANED_AFTER_MS > now.getTime()) return { action: 'coalesced', into: standing.eventId };
    try {
      etag = (await table.updateEntity(mark, 'Replace', { etag: standing.etag })).etag ?? '*';
    } catch (error) {
      // Another event replaced the orphan first: its message covers this event.
      if (statusOf(error) === 412 || statusOf(error) === 404) return { action: 'coalesced', into: standing.eventId };
      throw error;
    }
  }
  const message: CoalescedMessage = { kind: 'coalesced-event', markId: mark.markId, ...(etag !== '*' ? { markEtag: etag } : {}), event };
  try {
    await queue.send(encodeCoalescedMessage(message), Math.ceil(delayMs / 1000));
  } catch (error) {
    // No message, so no mark: the redelivered event must be able to open the window again.
    await table.deleteEntity(mark.partitionKey, mark.rowKey, { etag }).catch(() => undefined);
    throw error;
  }
  return { action: 'enqueued', dueAt };
}

/**
 * The worker's first step: delete the mark this message holds, so that events from now on open a new window. A
 * mark that is gone, or that a later message holds (an orphan replaced), is left alone. With the mark's ETag in the
 * message that is one conditional delete (a replaced mark has another ETag: 412); without it, a read by id first.
 */
export async function releaseMark(table: TableClient, message: CoalescedMessage, parsed: EventTarget = eventTarget(message.event.hint)): Promise<void> {
  const target = coalesceTarget(message.event.hint);
  if (!target) return;
  const { partitionKey, rowKey } = markKey(target, parsed.subscriptionId);
  try {
    if (message.markEtag) {
      await table.deleteEntity(partitionKey, rowKey, { etag: message.markEtag });
      return;
    }
    const standing = await table.getEntity<Mark>(partitionKey, rowKey);
    if (standing.markId !== message.markId) return;
    await table.deleteEntity(partitionKey, rowKey, { etag: standing.etag });
  } catch (error) {
    if (statusOf(error) !== 404 && statusOf(error) !== 412) throw error;
  }
}

/** Whether an evaluation of this resource is waiting in the queue (its mark stands): it will read after now. */
export async function isPending(table: TableClient, targetId: string): Promise<boolean> {
  const { partitionKey, rowKey } = markKey(targetId);
  try {
    await table.getEntity(partitionKey, rowKey);
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
