import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import type { CrossRegionRestoreLimits } from './editions/parameters.js';
import { customerKeyDisks, diskTypeName, restoreMethod, type RestoreMethod } from './restoreMethod.js';
import { listOf } from './rules/result.js';

/**
 * Restores into another region, subscription or zone (Supported restore methods › Cross Region, Cross Subscription,
 * Cross Zonal Restore). Each offers only "Create a VM" and "Restore disks", and each has its own exclusions.
 */

/** The paired region: not for Confidential VMs; only in the listed regions for machines using Ultra or Premium SSD v2 disks. */
export function crossRegionRestore(s: VmSnapshot, limits: CrossRegionRestoreLimits, configuration: readonly string[] = []): RestoreMethod {
  const unavailable: string[] = [];
  const limited = ['to the paired region: create a VM or restore disks only (vault with cross-region restore enabled)', ...configuration];
  if (!limits.confidentialVms && s.securityType?.toLowerCase() === 'confidentialvm') {
    unavailable.push(
      `not for Confidential VMs: "Cross Region Restore is currently unsupported as CVM v6 SKU isn't generally available in Azure paired regions"`,
    );
  }
  for (const [type, regions] of diskTypeEntries(limits)) {
    const disks = s.disks.filter((d) => d.storageType !== null && d.storageType.toLowerCase() === type);
    if (disks.length === 0) continue;
    const name = diskTypeName(type) ?? type;
    const which = `${name} disk${disks.length === 1 ? '' : 's'} ${listOf(disks.map((d) => d.name))}`;
    if (s.location === null)
      limited.push(`${which}: GRS vaults and cross-region restore serve machines using ${name} only in listed regions, and the VM's region is not in the data`);
    else if (!regions.includes(s.location))
      limited.push(`${which}: GRS vaults and cross-region restore serve machines using ${name} only in ${regions.length} listed regions, not in ${s.location}`);
  }
  return restoreMethod(unavailable, limited, []);
}

/** Another subscription of the tenant: "unsupported for … unmanaged VMs and VMs with disks having Azure Encryptions (ADE) … VMs with CMK encrypted disks". */
export function crossSubscriptionRestore(s: VmSnapshot, usesAde: boolean, vaultTier: readonly string[] = []): RestoreMethod {
  const unavailable: string[] = [];
  if (s.disks.some((d) => !d.managed && d.vhdUri)) unavailable.push('not for VMs with unmanaged disks');
  if (usesAde) unavailable.push('not for VMs encrypted with Azure Disk Encryption');
  const cmk = customerKeyDisks(s.disks);
  if (cmk.length > 0) unavailable.push(`not for VMs with disks encrypted with customer-managed keys (${listOf(cmk.map((d) => d.name))})`);
  const limited = [
    'to another subscription of the tenant: create a VM or restore disks only, from vault-tier recovery points (not the snapshot tier), when the vault allows Cross Subscription Restore',
    ...vaultTier,
  ];
  return restoreMethod(unavailable, limited, []);
}

/** Another availability zone, for zone-pinned VMs only (null otherwise): a customer-managed key has to be applied again. */
export function crossZonalRestore(s: VmSnapshot, vaultTier: readonly string[] = []): RestoreMethod | null {
  if (s.zones.length === 0) return null;
  const limited = ['to another availability zone: create a VM or restore disks only, not from snapshot-tier recovery points', ...vaultTier];
  const cmk = customerKeyDisks(s.disks);
  if (cmk.length > 0) {
    limited.push(
      `${listOf(cmk.map((d) => d.name))} use${cmk.length === 1 ? 's' : ''} a customer-managed key: "the restored VM uses SSE encryption by default. You must manually reapply CMK encryption to the restored VM after the restore process is complete"`,
    );
  }
  return restoreMethod([], limited, []);
}

const entriesOf = new WeakMap<CrossRegionRestoreLimits, [string, readonly string[]][]>();

/** The limits' disk types, lower-cased, computed once per edition rather than once per VM. */
function diskTypeEntries(limits: CrossRegionRestoreLimits): [string, readonly string[]][] {
  let entries = entriesOf.get(limits);
  if (!entries) {
    entries = Object.entries(limits.diskTypeRegions).map(([type, regions]) => [type.toLowerCase(), regions]);
    entriesOf.set(limits, entries);
  }
  return entries;
}
