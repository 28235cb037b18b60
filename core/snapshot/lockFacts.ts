import type { ArmLock } from '../armModel/armSchemas.js';
import { propsOf } from '../armModel/armSchemas.js';
import { parseArmId } from '../armModel/armId.js';

export interface AppliedLock {
  id: string;
  level: string;
  scope: 'resource-group' | 'subscription' | 'restore-point-group';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const patternCache = new Map<string, RegExp[]>();

/** Names of restore point collection groups: the default `AzureBackupRG_<location>_<n>`, and the policy's own. */
function restorePointGroupPatterns(location: string | null, prefix: string | null, suffix: string | null): RegExp[] {
  const key = `${location}|${prefix}|${suffix}`;
  let patterns = patternCache.get(key);
  if (!patterns) {
    patterns = [new RegExp(`^azurebackuprg_${escapeRegExp(location ?? '')}_\\d+$`, 'i')];
    if (prefix) patterns.push(new RegExp(`^${escapeRegExp(prefix)}\\d+${escapeRegExp(suffix ?? '')}$`, 'i'));
    patternCache.set(key, patterns);
  }
  return patterns;
}

/**
 * Locks that stop Azure Backup from cleaning up restore points of a VM: those on the VM's resource group (or its
 * subscription, which the group inherits) and on the group that holds the restore point collections
 * (`AzureBackupRG_<location>_<n>`, or the policy's custom `instantRPDetails` prefix/suffix).
 */
export function lockFactsOf(
  vm: { subscriptionId: string | null; resourceGroup: string | null; location: string | null },
  restorePointGroup: { prefix: string | null; suffix: string | null },
  locks: readonly ArmLock[],
): AppliedLock[] {
  if (!vm.subscriptionId || locks.length === 0) return [];
  const subscription = vm.subscriptionId.toLowerCase();
  const group = vm.resourceGroup?.toLowerCase() ?? null;
  const patterns = restorePointGroupPatterns(vm.location, restorePointGroup.prefix, restorePointGroup.suffix);
  const applied: AppliedLock[] = [];
  for (const lock of locks) {
    const level = propsOf(lock).level;
    if (!level || !/^(cannotdelete|readonly)$/i.test(level)) continue;
    // The lock's scope is its id without the trailing `/providers/Microsoft.Authorization/locks/{name}`.
    const scope = lock.id.replace(/\/providers\/microsoft\.authorization\/locks\/[^/]+\/?$/i, '');
    const parsed = parseArmId(scope);
    if (parsed.subscriptionId?.toLowerCase() !== subscription || parsed.type !== null) continue;
    // A VM may live in the group that holds restore points: that lock blocks the collections, so it counts as theirs.
    if (parsed.resourceGroup === null) applied.push({ id: lock.id, level, scope: 'subscription' });
    else if (patterns.some((p) => p.test(parsed.resourceGroup!))) applied.push({ id: lock.id, level, scope: 'restore-point-group' });
    else if (parsed.resourceGroup.toLowerCase() === group) applied.push({ id: lock.id, level, scope: 'resource-group' });
  }
  return applied;
}
