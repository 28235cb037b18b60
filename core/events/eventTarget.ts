import { parseArmId } from '../armModel/armId.js';
import { vmIdOf, type VmId } from '../armModel/vmId.js';
import { hintResourceId, type EventHint } from './eventHints.js';

/** What an event names, parsed once where the event is taken in: its subscription and, for a VM event, the VmId. */
export interface EventTarget {
  /** For the SWEEP_SUBSCRIPTIONS scope check and the coalescing mark's partition. */
  subscriptionId: string | null;
  vm: VmId | null;
}

/**
 * The hint stays a plain string (it is what a coalesced event's queue message carries); this is its one parse on
 * each side of the queue.
 */
export function eventTarget(hint: EventHint): EventTarget {
  const id = hintResourceId(hint);
  const parsed = parseArmId(id);
  return { subscriptionId: parsed.subscriptionId, vm: hint.kind === 'vm' ? vmIdOf(id, parsed) : null };
}
