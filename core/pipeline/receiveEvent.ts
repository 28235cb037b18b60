import { coalesceEvent, coalesceTarget, type CoalesceOutcome } from '../events/coalesce.js';
import type { ParsedEvent } from '../events/eventHints.js';
import { eventTarget } from '../events/eventTarget.js';
import { openEventQueue } from '../events/eventQueue.js';
import { invalidateFor } from '../events/invalidateCache.js';
import type { Services } from '../runtime/services.js';
import { handleEvent, type EventOutcome } from './handleEvent.js';
import { inScope } from '../platform/subscriptionScope.js';

/**
 * What the Event Grid function does with one event: drop the cached reads it makes stale, then coalesce it (queue,
 * window, de-duplication key) or, when no window is set or no queue is configured, handle it at once.
 */
export async function receiveEvent(services: Services, event: ParsedEvent): Promise<EventOutcome | CoalesceOutcome> {
  // A subscription outside SWEEP_SUBSCRIPTIONS (when set) is not ours to evaluate: acknowledged without a read.
  const target = eventTarget(event.hint);
  if (!inScope(target.subscriptionId ?? '', services.settings.sweep.subscriptions))
    return { action: 'nothing', why: 'the resource is outside SWEEP_SUBSCRIPTIONS' };
  invalidateFor(services.arm.cache, event.hint);
  const windowMs = services.settings.coalesceWindowMs ?? 0;
  const queue = windowMs > 0 && coalesceTarget(event.hint) !== null ? await openEventQueue(services) : null;
  if (!queue) return handleEvent(services, event, target);
  return coalesceEvent(services.store.table, queue, event, windowMs, services.now(), target);
}
