import { idKey } from '../armModel/armId.js';

/** Whether SWEEP_SUBSCRIPTIONS (empty: every subscription) takes in `subscriptionId`; events and the sweep ask alike. */
export function inScope(subscriptionId: string, subscriptions: readonly string[]): boolean {
  return subscriptions.length === 0 || subscriptions.some((s) => idKey(s) === subscriptionId.toLowerCase());
}
