/**
 * The ARM operations vm-backup-guard acts on: the one source of truth for the code that classifies events and for
 * the Event Grid subscription filter (`data.operationName` StringIn, at most 25 values) the deployment sets up.
 */
export const VM_OPERATIONS = [
  'Microsoft.Compute/virtualMachines/write',
  'Microsoft.Compute/virtualMachines/delete',
  'Microsoft.Compute/virtualMachines/start/action',
  'Microsoft.Compute/virtualMachines/deallocate/action',
  'Microsoft.Compute/virtualMachines/powerOff/action',
] as const;

export const DRIFT_OPERATIONS = ['Microsoft.Compute/disks/write', 'Microsoft.Network/networkInterfaces/write'] as const;

export const PROTECTED_ITEM_OPERATIONS = [
  'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write',
  'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete',
] as const;

export const POLICY_OPERATIONS = ['Microsoft.RecoveryServices/vaults/backupPolicies/write'] as const;

/** A management lock written or deleted: the lock rule of the VMs under its subscription or group (lockEvents.ts). */
export const LOCK_OPERATIONS = ['Microsoft.Authorization/locks/write', 'Microsoft.Authorization/locks/delete'] as const;

export const HANDLED_OPERATIONS: readonly string[] = [
  ...VM_OPERATIONS,
  ...DRIFT_OPERATIONS,
  ...PROTECTED_ITEM_OPERATIONS,
  ...POLICY_OPERATIONS,
  ...LOCK_OPERATIONS,
];

export const HANDLED_EVENT_TYPES = [
  'Microsoft.Resources.ResourceWriteSuccess',
  'Microsoft.Resources.ResourceDeleteSuccess',
  'Microsoft.Resources.ResourceActionSuccess',
] as const;
