import { app, type InvocationContext } from '@azure/functions';
import { INVOCATION_DEADLINE_MS, withDeadline } from '../core/platform/callDeadline.js';

/**
 * Event Grid trigger on a subscription system topic (Event Grid schema or CloudEvents 1.0). A permanently bad or
 * irrelevant event is logged with the reason and acknowledged — throwing would make Event Grid retry it for 24
 * hours. A transient failure (ARM throttling or 5xx after the SDK's retries, storage unavailable) throws, so Event
 * Grid delivers the event again; nothing partial was written. With EVENT_COALESCE_SECONDS set (the default), an
 * event is only coalesced here (a mark and a delayed queue message, core/events/coalesce.ts); evaluateCoalesced
 * evaluates after the window.
 */
export async function vmChanged(event: unknown, context: InvocationContext): Promise<void> {
  // Imported on first use: the host loads every function's file at start-up (cold start: bench/coldStart.ts).
  const [{ parseEventDelivery }, { receiveEvent }, { getServices }] = await Promise.all([
    import('../core/events/eventHints.js'),
    import('../core/pipeline/receiveEvent.js'),
    import('../core/runtime/services.js'),
  ]);
  const { events, rejected } = await parseEventDelivery(event);
  for (const r of rejected) context.warn('event acknowledged without action', { eventId: r.id, reason: r.reason });
  if (events.length === 0) return;
  const services = getServices();
  for (const e of events) {
    const outcome = await receiveEvent(services, e);
    // One stable message per refusal, so monitoring can count them (a missing role shows up here first).
    if (outcome.action === 'nothing' && outcome.armRefused)
      context.warn('event acknowledged: ARM refused the read', { eventId: e.id, status: outcome.armRefused });
    context.log('event handled', {
      eventId: e.id,
      type: e.type,
      hint: e.hint.kind,
      action: outcome.action,
      ...(outcome.action === 'nothing' ? { why: outcome.why } : {}),
      ...(outcome.action === 'coalesced' ? { into: outcome.into } : {}),
    });
  }
}

app.eventGrid('vmChanged', { handler: (event, context) => withDeadline(INVOCATION_DEADLINE_MS, () => vmChanged(event, context)) });
