import { cacheKey, type ArmReadCache } from '../inventory/arm/armReadCache.js';
import { parseArmId } from '../armModel/armId.js';
import type { EventHint } from './eventHints.js';

/**
 * Drops what an event makes stale from this instance's ARM read cache: a disk or NIC write its group's list, a policy
 * write its policy, a lock written or deleted its subscription's locks (one list per subscription, whatever the
 * lock's scope). Other instances are covered by the cache's lifetime, which is shorter than the coalescing window
 * (armReadCache.ts); the worker calls this again on its own instance before it evaluates.
 */
export function invalidateFor(cache: ArmReadCache | undefined, hint: EventHint): void {
  if (!cache) return;
  if (hint.kind === 'policy') cache.invalidate(cacheKey.byId('policy', hint.policyId));
  if (hint.kind === 'lock') {
    const subscriptionId = parseArmId(hint.lockId).subscriptionId;
    if (subscriptionId) cache.invalidate(cacheKey.locks(subscriptionId));
  }
  if (hint.kind === 'disk-or-nic') {
    const id = parseArmId(hint.resourceId);
    if (!id.subscriptionId || !id.resourceGroup) return;
    cache.invalidate(cacheKey.group(id.type === 'microsoft.compute/disks' ? 'disks' : 'nics', id.subscriptionId, id.resourceGroup));
  }
}
