import { propsOf, type ArmProtectedItem } from '../armModel/armSchemas.js';
import { idPrefixThrough, parseArmId } from '../armModel/armId.js';
import { resourceById, type InventoryIndex } from './inventoryIndex.js';
import { normaliseLocation } from '../armModel/location.js';
import { policyFactsOf, unknownPolicy } from './policyFacts.js';
import type { ProtectionFacts } from './vmSnapshot.js';

/** Protection states in which the vault no longer takes scheduled backups of the VM. */
const STOPPED_STATES = new Set(['protectionstopped', 'protectionpaused']);

const UNPROTECTED: ProtectionFacts = { status: 'unprotected', itemId: null, protectionState: null, diskExclusion: null, policy: null, vault: null };

/**
 * The VM's Recovery Services protection: its protected item (matched on the VM's full id, never its name), the
 * item's policy and vault. No item in the data means the VM is not protected.
 */
export function protectionFactsOf(vmId: string, index: InventoryIndex, missing: string[]): ProtectionFacts {
  const items = resourceById(index.protectedItemsByVm, vmId);
  if (!items || items.length === 0) return UNPROTECTED;
  // A VM is actively protected by at most one item; stopped items from earlier protection may remain beside it.
  const item = items.find((i) => !STOPPED_STATES.has((propsOf(i).protectionState ?? '').toLowerCase())) ?? items[0]!;
  const p = propsOf(item);
  const stopped = STOPPED_STATES.has((p.protectionState ?? '').toLowerCase());

  let policy: ProtectionFacts['policy'] = null;
  if (p.policyId) {
    const resource = resourceById(index.policies, p.policyId);
    if (!resource) missing.push(`backup policy ${p.policyId}`);
    policy = resource ? policyFactsOf(resource) : unknownPolicy(p.policyId);
  }

  const vaultId = idPrefixThrough(item.id, 'vaults') ?? (p.policyId ? idPrefixThrough(p.policyId, 'vaults') : null);
  let vault: ProtectionFacts['vault'] = null;
  if (vaultId) {
    const resource = resourceById(index.vaults, vaultId);
    if (!resource && !stopped) missing.push(`Recovery Services vault ${vaultId}`);
    vault = { id: vaultId, subscriptionId: parseArmId(vaultId).subscriptionId, known: resource !== undefined, location: normaliseLocation(resource?.location) };
  }
  return {
    status: stopped ? 'stopped' : 'protected',
    itemId: item.id,
    protectionState: p.protectionState ?? null,
    diskExclusion: diskExclusionOf(p),
    policy,
    vault,
  };
}

/** The item's selective disk backup settings; LUNs the CLI may print as text are read as numbers. */
function diskExclusionOf(p: ReturnType<typeof propsOf<ArmProtectedItem>>): ProtectionFacts['diskExclusion'] {
  const exclusion = p.extendedProperties?.diskExclusionProperties;
  if (!exclusion?.diskLunList) return null;
  const luns = exclusion.diskLunList.map((lun) => (typeof lun === 'number' ? lun : lun === null || lun.trim() === '' ? Number.NaN : Number(lun)));
  // A LUN that is not a number (or null) leaves the list unreadable: which disks it names is then unknown.
  if (!luns.every(Number.isInteger)) return { luns: luns.filter(Number.isInteger), isInclusionList: null };
  return { luns, isInclusionList: exclusion.isInclusionList ?? null };
}
