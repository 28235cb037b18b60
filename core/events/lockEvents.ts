import { parseArmId } from '../armModel/armId.js';
import type { SweepProjection } from '../store/index.js';

/**
 * What a management lock written or deleted changes: the lock rule (`locks.resource-group`) of the VMs under it. The
 * rule reads CanNotDelete and ReadOnly locks on a VM's subscription, on its resource group, and on the group that
 * holds its restore point collections (core/snapshot/lockFacts.ts); a lock on a single resource applies to none.
 */
export interface LockScope {
  subscriptionId: string;
  /** null: the lock is on the subscription. */
  resourceGroup: string | null;
  /** The lock is on one resource (a VM, a disk, a vault): no rule reads it. */
  onResource: boolean;
}

/** The scope a lock's id names (its id without `/providers/Microsoft.Authorization/locks/{name}`). */
export function lockScope(lockId: string): LockScope | null {
  const scope = parseArmId(lockId.replace(/\/providers\/microsoft\.authorization\/locks\/[^/]+\/?$/i, ''));
  if (!scope.subscriptionId) return null;
  return { subscriptionId: scope.subscriptionId, resourceGroup: scope.resourceGroup, onResource: scope.type !== null };
}

/** The default name of a group Azure Backup puts restore point collections in (`AzureBackupRG_<location>_<n>`). */
const RESTORE_POINT_GROUP = /^azurebackuprg_[a-z0-9]+_\d+$/i;

/**
 * The VMs the store knows (present ones) whose lock rule the lock can change: every VM of the subscription for a
 * subscription lock; the group's VMs for a group lock, and every protected VM of the subscription when the group is
 * a default restore point group (its VMs' own location is not in the projection, so all are taken). A group named
 * by a policy's custom restore point prefix is not recognised here: its VMs see the lock at their next evaluation.
 */
export async function vmsUnderLock(index: { projections(subscriptionId: string): AsyncIterable<SweepProjection> }, lockId: string): Promise<string[]> {
  const scope = lockScope(lockId);
  if (!scope || scope.onResource) return [];
  const group = scope.resourceGroup?.toLowerCase() ?? null;
  const restorePoints = group !== null && RESTORE_POINT_GROUP.test(group);
  const vmIds: string[] = [];
  for await (const row of index.projections(scope.subscriptionId)) {
    if (row.state !== 'present') continue;
    const inGroup = group === null || parseArmId(row.vmId).resourceGroup?.toLowerCase() === group;
    if (inGroup || (restorePoints && row.protectedItemId !== '')) vmIds.push(row.vmId);
  }
  return vmIds;
}

/** Up to this many VMs under a lock are re-evaluated by the lock's event; more are marked for the drift sweep. */
export const LOCK_EVALUATIONS_PER_EVENT = 20;
