import type { DiskFacts } from '../snapshot/vmSnapshot.js';

/** `notApplicable`: the VM cannot be backed up at all, so no restore path has recovery points to start from. */
export type RestoreStatus = 'available' | 'limited' | 'unavailable' | 'unknown' | 'notApplicable';

export interface RestoreMethod {
  status: RestoreStatus;
  reasons: string[];
}

/** The worst case decides: any reason it is unavailable, else any limit, else any missing fact. */
export function restoreMethod(unavailable: string[], limited: string[], unknownFacts: string[]): RestoreMethod {
  if (unavailable.length > 0) return { status: 'unavailable', reasons: unavailable };
  if (limited.length > 0) return { status: 'limited', reasons: limited };
  if (unknownFacts.length > 0) return { status: 'unknown', reasons: unknownFacts };
  return { status: 'available', reasons: [] };
}

/** The matrix's names for the disk types whose restores it limits. */
const DISK_TYPE_NAMES: Readonly<Record<string, string>> = { ultrassd_lrs: 'Ultra Disk', premiumv2_lrs: 'Premium SSD v2' };

export function diskTypeName(storageType: string | null): string | null {
  return DISK_TYPE_NAMES[storageType?.toLowerCase() ?? ''] ?? null;
}

/** Disks encrypted at rest with a customer-managed key: server-side (a disk encryption set) or confidential. */
export function customerKeyDisks(disks: readonly DiskFacts[]): DiskFacts[] {
  return disks.filter((d) => d.sseWithCustomerKey || d.customerManagedKey);
}
