import { SEVERITY_RANK } from '../matrix/types.js';
import type { AlertIntent, AlertTransition } from './alertIntent.js';
import type { AlertDestination } from './destinations.js';

/**
 * How severe a transition counts for routing. A `resolved` transition carries the severity its finding had while
 * open, so it reaches the destinations its `opened` reached; a severity change counts at the higher of the two, so
 * a destination that heard "error" also hears that it became a warning.
 */
function routingRank(t: AlertTransition): number {
  return Math.max(SEVERITY_RANK[t.severity], t.previousSeverity ? SEVERITY_RANK[t.previousSeverity] : 0);
}

/** The part of an intent a destination gets: null when none of it passes the destination's filters. */
export function intentFor(destination: AlertDestination, intent: AlertIntent): AlertIntent | null {
  if (destination.subscriptions && !destination.subscriptions.includes(intent.vm.subscriptionId.toLowerCase())) return null;
  const floor = SEVERITY_RANK[destination.minSeverity];
  const transitions = intent.transitions.filter((t) => routingRank(t) >= floor && (destination.rules === null || destination.rules.includes(t.ruleId)));
  return transitions.length === 0 ? null : { ...intent, transitions };
}
