import type { ArmVirtualMachine } from '../armModel/armSchemas.js';
import { propsOf } from '../armModel/armSchemas.js';
import { resourceById, type InventoryIndex } from './inventoryIndex.js';
import type { DiskFacts } from './vmSnapshot.js';

type VmProps = ReturnType<typeof propsOf<ArmVirtualMachine>>;
type StorageProfile = NonNullable<VmProps['storageProfile']>;
type OsDisk = NonNullable<StorageProfile['osDisk']>;
type DataDisk = NonNullable<StorageProfile['dataDisks']>[number];

/**
 * The VM's disks as the rules see them: the VM model's entries, overridden by the managed disk resource where the
 * data has it (its sku, size and encryption are the truth; the VM model's copy can be stale after a resize).
 * Data disks being detached (`toBeDetached`) are no longer part of the backup and are skipped.
 */
export function diskFactsOf(
  storage: StorageProfile | null | undefined,
  index: InventoryIndex,
  missing: string[],
  encryptedInInstanceView: ReadonlySet<string> = new Set(),
): DiskFacts[] {
  const disks: DiskFacts[] = [];
  if (storage?.osDisk) disks.push(diskFact('os', storage.osDisk, index, missing));
  for (const dataDisk of storage?.dataDisks ?? []) {
    if (dataDisk.toBeDetached === true) continue;
    disks.push(diskFact('data', dataDisk, index, missing));
  }
  if (encryptedInInstanceView.size > 0) for (const disk of disks) if (encryptedInInstanceView.has(disk.name.toLowerCase())) disk.adeEnabled = true;
  return disks;
}

function diskFact(role: 'os' | 'data', disk: OsDisk | DataDisk, index: InventoryIndex, missing: string[]): DiskFacts {
  const managedDiskId = disk.managedDisk?.id ?? null;
  const vhdUri = disk.vhd?.uri ?? null;
  const managed = disk.managedDisk !== null && disk.managedDisk !== undefined;
  const resource = managedDiskId ? resourceById(index.disks, managedDiskId) : undefined;
  const r = resource ? propsOf(resource) : null;
  if (managedDiskId && !resource) missing.push(`managed disk ${managedDiskId}`);
  const lun = 'lun' in disk && typeof disk.lun === 'number' ? disk.lun : null;
  const name = disk.name ?? resource?.name ?? managedDiskId?.split('/').pop() ?? (role === 'os' ? 'os disk' : `data disk ${lun ?? '?'}`);
  const vmSecurity = disk.managedDisk?.securityProfile;
  return {
    role,
    lun,
    name,
    managed,
    managedDiskId,
    resourceKnown: resource !== undefined,
    vhdUri: managed ? null : vhdUri,
    storageAccountName: !managed && vhdUri ? storageAccountOf(vhdUri) : null,
    storageType: r?.sku?.name ?? disk.managedDisk?.storageAccountType ?? null,
    sizeGiB: r?.diskSizeGB ?? disk.diskSizeGB ?? null,
    writeAccelerator: disk.writeAcceleratorEnabled === true,
    sseWithCustomerKey:
      Boolean(disk.managedDisk?.diskEncryptionSet?.id) || Boolean(r?.encryption?.diskEncryptionSetId) || /customerkey/i.test(r?.encryption?.type ?? ''),
    adeEnabled: r?.encryptionSettingsCollection?.enabled === true || (role === 'os' && (disk as OsDisk).encryptionSettings?.enabled === true),
    maxShares: r?.maxShares ?? (!r && cannotBeShared(disk.managedDisk?.storageAccountType ?? null) ? 1 : null),
    dataAccessAuthMode: r?.dataAccessAuthMode ?? null,
    securityType: r?.securityProfile?.securityType ?? null,
    securityEncryptionType: vmSecurity?.securityEncryptionType ?? encryptionTypeOfSecurityType(r?.securityProfile?.securityType),
    customerManagedKey:
      Boolean(vmSecurity?.diskEncryptionSet?.id) ||
      Boolean(r?.securityProfile?.secureVMDiskEncryptionSetId) ||
      /customerkey/i.test(r?.securityProfile?.securityType ?? ''),
    ephemeral: role === 'os' && (disk as OsDisk).diffDiskSettings?.option?.toLowerCase() === 'local',
    performancePlus: !managed
      ? false
      : r
        ? r.creationData?.performancePlus === true
        : cannotHavePerformancePlus(disk.managedDisk?.storageAccountType ?? null, disk.diskSizeGB ?? null)
          ? false
          : null,
  };
}

/** "Shared disks are supported on Ultra Disks, Premium SSD v2, Premium SSD and Standard SSD": a Standard HDD is never shared. */
function cannotBeShared(storageType: string | null): boolean {
  return storageType?.toLowerCase() === 'standard_lrs';
}

/**
 * Performance plus is set when a disk is created, only on Premium SSD, Standard SSD and Standard HDD disks of 513 GiB
 * or more: a smaller disk, an Ultra or Premium SSD v2 disk, or an unmanaged one cannot have it, with or without its resource.
 */
function cannotHavePerformancePlus(storageType: string | null, sizeGiB: number | null): boolean {
  const type = storageType?.toLowerCase() ?? '';
  if (type === 'ultrassd_lrs' || type === 'premiumv2_lrs') return true;
  return sizeGiB !== null && sizeGiB < 513;
}

/**
 * A Confidential VM's OS disk resource names its encryption in its security type; the VM model names it in
 * `securityEncryptionType`. Reading the disk lets an export without the VM model's field still be judged.
 */
function encryptionTypeOfSecurityType(securityType: string | null | undefined): string | null {
  const t = securityType?.toLowerCase() ?? '';
  if (t.startsWith('confidentialvm_diskencryptedwith')) return 'DiskWithVMGuestState';
  if (t.startsWith('confidentialvm_vmgueststateonly')) return 'VMGuestStateOnly';
  if (t === 'confidentialvm_nonpersistedtpm') return 'NonPersistedTPM';
  return null;
}

/** `https://{account}.blob.core.windows.net/...` (any cloud's suffix) → `account`. */
function storageAccountOf(vhdUri: string): string | null {
  const m = /^[a-z]+:\/\/([^./]+)\./i.exec(vhdUri.trim());
  return m ? m[1]!.toLowerCase() : null;
}
