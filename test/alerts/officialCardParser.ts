import * as AC from 'adaptivecards';

/**
 * Parses a card with Microsoft's own `adaptivecards` renderer (needs a DOM: run under jsdom) and returns every
 * parse and validation event it logs, as text, and how many elements it rendered. An empty list is what the parser
 * accepts. (The rendered text cannot be read here: the renderer sets innerText, which jsdom does not implement.)
 */
export function officialCardEvents(card: unknown): { events: string[]; renderedElements: number } {
  const adaptive = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  adaptive.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i)).map((e) => `parse: ${e.message}`);
  for (const e of adaptive.validateProperties().validationEvents) events.push(`validation: ${e.message}`);
  const rendered = adaptive.render();
  if (!rendered) events.push('render: the card rendered nothing');
  return { events, renderedElements: rendered?.querySelectorAll('*').length ?? 0 };
}
