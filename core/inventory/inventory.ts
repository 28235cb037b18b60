import type {
  ArmBackupPolicy,
  ArmDiagnosticSetting,
  ArmDisk,
  ArmImageVersion,
  ArmLock,
  ArmNetworkInterface,
  ArmProtectedItem,
  ArmPublicIpAddress,
  ArmStorageAccount,
  ArmVault,
  ArmVirtualMachine,
} from '../armModel/armSchemas.js';

/** Validated ARM resources, as read from inventory files or from ARM; the input of `buildVmSnapshot`. */
export interface Inventory {
  virtualMachines: ArmVirtualMachine[];
  disks: ArmDisk[];
  networkInterfaces: ArmNetworkInterface[];
  publicIpAddresses: ArmPublicIpAddress[];
  storageAccounts: ArmStorageAccount[];
  protectedItems: ArmProtectedItem[];
  policies: ArmBackupPolicy[];
  vaults: ArmVault[];
  locks: ArmLock[];
  imageVersions: ArmImageVersion[];
  diagnosticSettings: ArmDiagnosticSetting[];
  /**
   * Ids of the VMs whose diagnostic settings the data holds in full (an inventory document with a `diagnosticSettings`
   * list vouches for its own VMs). A VM with no setting in the data is otherwise unknown, not "none": `az monitor
   * diagnostic-settings list` prints `[]` without naming the resource it looked at.
   */
  diagnosticSettingsRead: string[];
}

export type InventoryCollection = Exclude<keyof Inventory, 'diagnosticSettingsRead'>;

export const INVENTORY_COLLECTIONS: readonly InventoryCollection[] = [
  'virtualMachines',
  'disks',
  'networkInterfaces',
  'publicIpAddresses',
  'storageAccounts',
  'protectedItems',
  'policies',
  'vaults',
  'locks',
  'imageVersions',
  'diagnosticSettings',
];

export function emptyInventory(): Inventory {
  return {
    virtualMachines: [],
    disks: [],
    networkInterfaces: [],
    publicIpAddresses: [],
    storageAccounts: [],
    protectedItems: [],
    policies: [],
    vaults: [],
    locks: [],
    imageVersions: [],
    diagnosticSettings: [],
    diagnosticSettingsRead: [],
  };
}
