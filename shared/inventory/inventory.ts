import type {
  ArmBackupPolicy,
  ArmDisk,
  ArmLock,
  ArmNetworkInterface,
  ArmProtectedItem,
  ArmPublicIpAddress,
  ArmStorageAccount,
  ArmVault,
  ArmVirtualMachine,
} from '../snapshot/armSchemas.js';

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
}

export type InventoryCollection = keyof Inventory;

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
];

export function emptyInventory(): Inventory {
  return { virtualMachines: [], disks: [], networkInterfaces: [], publicIpAddresses: [], storageAccounts: [], protectedItems: [], policies: [], vaults: [], locks: [] };
}
