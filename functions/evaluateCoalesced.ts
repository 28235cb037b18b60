import { app, type InvocationContext } from '@azure/functions';
// The queue's name and connection are needed at registration; the work itself is imported on first message.
import { eventQueueName, SWEEP_QUEUE_CONNECTION } from '../core/queue/queueNames.js';
import { FINDINGS_TABLE } from '../core/store/tableName.js';
import { INVOCATION_DEADLINE_MS, withDeadline } from '../core/platform/callDeadline.js';
import { errorName } from '../core/platform/safeErrorText.js';

/**
 * One coalesced event, after its window (vmChanged sent it hidden for EVENT_COALESCE_SECONDS): release its mark, so
 * later events open a new window, then handle it as vmChanged once did at once — re-read ARM, evaluate, store. A
 * message that is not ours is logged by id and dropped. A failure throws: the host shows the message again after
 * host.json's `visibilityTimeout` (ARM throttling is absorbed there, no event lost), and after `maxDequeueCount`
 * moves it to `<queue>-poison`.
 */
export async function evaluateCoalesced(message: unknown, context: InvocationContext): Promise<void> {
  const messageId = String(context.triggerMetadata?.id ?? 'unknown');
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 0);
  // Imported on first use: the host loads every function's file at start-up (cold start: bench/coldStart.ts).
  const [{ parseCoalescedMessage }, { eventTarget }, { releaseMark }, { invalidateFor }, { handleEvent }, { getServices }] = await Promise.all([
    import('../core/events/eventQueue.js'),
    import('../core/events/eventTarget.js'),
    import('../core/events/coalesce.js'),
    import('../core/events/invalidateCache.js'),
    import('../core/pipeline/handleEvent.js'),
    import('../core/runtime/services.js'),
  ]);
  const parsed = parseCoalescedMessage(message);
  if (!parsed) {
    context.warn('event message dropped', { messageId, dequeueCount, problem: 'not a coalesced event' });
    return;
  }
  const services = getServices();
  const { event } = parsed;
  try {
    // The event's ids, parsed once on this side of the queue.
    const target = eventTarget(event.hint);
    await releaseMark(services.store.table, parsed, target);
    invalidateFor(services.arm.cache, event.hint);
    const outcome = await handleEvent(services, event, target);
    if (outcome.action === 'nothing' && outcome.armRefused)
      context.warn('event acknowledged: ARM refused the read', { eventId: event.id, status: outcome.armRefused });
    context.log('coalesced event handled', {
      messageId,
      eventId: event.id,
      hint: event.hint.kind,
      action: outcome.action,
      ...(outcome.action === 'nothing' ? { why: outcome.why } : {}),
    });
  } catch (error) {
    // Name and status only: a RestError carries its request, whose headers hold a signature.
    context.error('coalesced event failed; the host will retry it', { messageId, dequeueCount, eventId: event.id, error: errorName(error) });
    throw error;
  }
}

// Named after the findings table, as vmChanged, which fills it, names it.
app.storageQueue('evaluateCoalesced', {
  queueName: eventQueueName(process.env.FINDINGS_TABLE ?? FINDINGS_TABLE),
  connection: SWEEP_QUEUE_CONNECTION,
  handler: (message, context) => withDeadline(INVOCATION_DEADLINE_MS, () => evaluateCoalesced(message, context)),
});
