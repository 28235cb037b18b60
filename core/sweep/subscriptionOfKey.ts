import { parseArmId } from '../armModel/armId.js';

/** The subscription of a VM's id key (idKey: the id lower-cased), to hold it against the sweep's scope. */
export function subscriptionOfKey(key: string): string {
  return (parseArmId(key).subscriptionId ?? '').toLowerCase();
}
