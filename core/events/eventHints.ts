import { EventGridDeserializer } from '@azure/eventgrid';
import { z } from 'zod';
import { boundedId, idProblem } from './strictIds.js';
import { DRIFT_OPERATIONS, HANDLED_EVENT_TYPES, LOCK_OPERATIONS, POLICY_OPERATIONS, PROTECTED_ITEM_OPERATIONS, VM_OPERATIONS } from './operations.js';

/** What an event asks for. Events are hints: the handler always re-reads the resource before acting. */
export type EventHint =
  | { kind: 'vm'; vmId: string }
  | { kind: 'disk-or-nic'; resourceId: string }
  | { kind: 'protected-item'; itemId: string; deleted: boolean }
  | { kind: 'policy'; policyId: string }
  | { kind: 'lock'; lockId: string };

/** The resource the event names. */
export function hintResourceId(hint: EventHint): string {
  switch (hint.kind) {
    case 'vm':
      return hint.vmId;
    case 'disk-or-nic':
      return hint.resourceId;
    case 'protected-item':
      return hint.itemId;
    case 'policy':
      return hint.policyId;
    case 'lock':
      return hint.lockId;
  }
}

export interface ParsedEvent {
  id: string;
  type: string;
  time: string;
  correlationId?: string;
  hint: EventHint;
}

/** A permanently bad or irrelevant event: logged with the reason and acknowledged (a retry cannot fix it). */
export interface RejectedEvent {
  id: string | null;
  reason: string;
}

const resourceEventData = z.object({
  resourceUri: z.string().min(1),
  operationName: z.string().min(1),
  correlationId: z.string().optional(),
});

const lower = (list: readonly string[]) => new Set(list.map((o) => o.toLowerCase()));
const VM_OPS = lower(VM_OPERATIONS);
const DRIFT_OPS = lower(DRIFT_OPERATIONS);
const ITEM_OPS = lower(PROTECTED_ITEM_OPERATIONS);
const POLICY_OPS = lower(POLICY_OPERATIONS);
const LOCK_OPS = lower(LOCK_OPERATIONS);
const EVENT_TYPES = lower(HANDLED_EVENT_TYPES);

function hintFor(operation: string, resourceUri: string): EventHint | null {
  const op = operation.toLowerCase();
  if (VM_OPS.has(op)) return { kind: 'vm', vmId: resourceUri };
  if (DRIFT_OPS.has(op)) return { kind: 'disk-or-nic', resourceId: resourceUri };
  if (ITEM_OPS.has(op)) return { kind: 'protected-item', itemId: resourceUri, deleted: op.endsWith('/delete') };
  if (POLICY_OPS.has(op)) return { kind: 'policy', policyId: resourceUri };
  if (LOCK_OPS.has(op)) return { kind: 'lock', lockId: resourceUri };
  return null;
}

const deserializer = new EventGridDeserializer();

/**
 * One delivery (the Functions host passes one event, Event Grid or CloudEvents 1.0 schema; a webhook may pass an
 * array or raw text) → the events in it, each with what to do, or why it is rejected. Never throws.
 */
export async function parseEventDelivery(body: unknown): Promise<{ events: ParsedEvent[]; rejected: RejectedEvent[] }> {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      return { events: [], rejected: [{ id: null, reason: `invalid JSON: ${(error as Error).message}` }] };
    }
  }
  const items = Array.isArray(value) ? value : [value];
  const events: ParsedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const item of items) {
    const rawId = (item as { id?: unknown })?.id;
    const id = typeof rawId === 'string' ? boundedId(rawId) : null;
    try {
      const isCloudEvent = item !== null && typeof item === 'object' && 'specversion' in item;
      const [event] = isCloudEvent
        ? await deserializer.deserializeCloudEvents(item as Record<string, unknown>)
        : await deserializer.deserializeEventGridEvents(item as Record<string, unknown>);
      if (!event) throw new Error('no event in the delivery');
      const type = 'eventType' in event ? event.eventType : event.type;
      const time = 'eventTime' in event ? event.eventTime : event.time;
      if (!EVENT_TYPES.has(type.toLowerCase())) {
        rejected.push({ id, reason: `event type ${String(type).slice(0, 200)} is not handled` });
        continue;
      }
      // The deserializer checks the envelope; the data is read from the delivery itself, where 2017-era events
      // carried it as a JSON string.
      const raw = (item as { data?: unknown }).data;
      const data = resourceEventData.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
      if (!data.success) {
        rejected.push({ id, reason: `data: ${data.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}` });
        continue;
      }
      const hint = hintFor(data.data.operationName, data.data.resourceUri);
      if (!hint) {
        rejected.push({ id, reason: `operation ${data.data.operationName.slice(0, 200)} is not handled` });
        continue;
      }
      const problem = idProblem(hint.kind, data.data.resourceUri);
      if (problem) {
        rejected.push({ id, reason: problem });
        continue;
      }
      events.push({
        id: id ?? boundedId(event.id),
        type,
        time: time instanceof Date ? time.toISOString() : String(time ?? ''),
        ...(data.data.correlationId ? { correlationId: boundedId(data.data.correlationId) } : {}),
        hint,
      });
    } catch (error) {
      rejected.push({ id, reason: `not a valid Event Grid or CloudEvents event: ${(error as Error).message}` });
    }
  }
  return { events, rejected };
}
