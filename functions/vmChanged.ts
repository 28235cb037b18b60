import { app, type InvocationContext } from '@azure/functions';
import { parseEventDelivery } from '../shared/events/eventHints.js';
import { handleEvent } from '../shared/pipeline/handleEvent.js';
import { getServices } from '../shared/runtime/services.js';

/**
 * Event Grid trigger on a subscription system topic (Event Grid schema or CloudEvents 1.0). A permanently bad or
 * irrelevant event is logged with the reason and acknowledged — throwing would make Event Grid retry it for 24
 * hours. A transient failure (ARM throttling or 5xx after the SDK's retries, storage unavailable) throws, so Event
 * Grid delivers the event again; nothing partial was written.
 */
export async function vmChanged(event: unknown, context: InvocationContext): Promise<void> {
  const { events, rejected } = await parseEventDelivery(event);
  for (const r of rejected) context.warn('event acknowledged without action', { eventId: r.id, reason: r.reason });
  if (events.length === 0) return;
  const services = getServices();
  for (const e of events) {
    const outcome = await handleEvent(services, e);
    context.log('event handled', { eventId: e.id, type: e.type, hint: e.hint.kind, action: outcome.action, ...(outcome.action === 'nothing' ? { why: outcome.why } : {}) });
  }
}

app.eventGrid('vmChanged', { handler: (event, context) => vmChanged(event, context) });
