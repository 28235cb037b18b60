import type { RestoreMethod, RestoreReadiness } from '../../core/matrix/restore.js';

export const RESTORE_LABELS: Record<keyof RestoreReadiness, string> = {
  createVm: 'create VM',
  restoreDisks: 'restore disks',
  replaceDisks: 'replace disks',
  fileRecovery: 'file recovery',
  crossRegionRestore: 'cross-region',
  crossSubscriptionRestore: 'cross-subscription',
  crossZonalRestore: 'cross-zone',
};

/** The restore methods in display order, skipping those the edition does not report. */
export function restoreEntries(restore: RestoreReadiness): [string, RestoreMethod][] {
  return (Object.keys(RESTORE_LABELS) as (keyof RestoreReadiness)[]).flatMap((key) => {
    const method = restore[key];
    return method ? [[RESTORE_LABELS[key], method] as [string, RestoreMethod]] : [];
  });
}
