import type { DiskFacts, VmSnapshot } from '../../snapshot/vmSnapshot.js';

/**
 * Whether selective disk backup leaves this disk out of the VM's backups: true or false, or null when the protected
 * item's list cannot be read against the disk (no LUN on the disk, or the item does not say whether its list
 * includes or excludes). The OS disk is always backed up; only an active protected item's settings count.
 */
export function excludedFromBackup(s: VmSnapshot, disk: DiskFacts): boolean | null {
  const exclusion = s.protection.status === 'protected' ? s.protection.diskExclusion : null;
  if (exclusion === null || disk.role === 'os') return false;
  if (disk.lun === null || exclusion.isInclusionList === null) return null;
  const listed = exclusion.luns.includes(disk.lun);
  return exclusion.isInclusionList ? !listed : listed;
}
