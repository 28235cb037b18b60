import type { z } from 'zod';
import {
  armBackupPolicy,
  armDiagnosticSetting,
  armDisk,
  armImageVersion,
  armLock,
  armNetworkInterface,
  armProtectedItem,
  armPublicIpAddress,
  armStorageAccount,
  armVault,
  armVirtualMachine,
} from '../armModel/armSchemas.js';
import { parseArmId } from '../armModel/armId.js';
import type { InventoryCollection } from './inventory.js';

export interface CollectionSpec {
  schema: z.ZodType;
  /** Lower-cased ARM resource types this collection accepts. */
  types: readonly string[];
  noun: string;
}

export const COLLECTIONS: Record<InventoryCollection, CollectionSpec> = {
  virtualMachines: {
    schema: armVirtualMachine,
    types: ['microsoft.compute/virtualmachines', 'microsoft.compute/virtualmachinescalesets/virtualmachines'],
    noun: 'a virtual machine',
  },
  disks: { schema: armDisk, types: ['microsoft.compute/disks'], noun: 'a managed disk' },
  networkInterfaces: {
    schema: armNetworkInterface,
    types: ['microsoft.network/networkinterfaces', 'microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces'],
    noun: 'a network interface',
  },
  publicIpAddresses: { schema: armPublicIpAddress, types: ['microsoft.network/publicipaddresses'], noun: 'a public IP address' },
  storageAccounts: {
    schema: armStorageAccount,
    types: ['microsoft.storage/storageaccounts', 'microsoft.classicstorage/storageaccounts'],
    noun: 'a storage account',
  },
  protectedItems: {
    schema: armProtectedItem,
    types: ['microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems'],
    noun: 'a Recovery Services protected item',
  },
  policies: { schema: armBackupPolicy, types: ['microsoft.recoveryservices/vaults/backuppolicies'], noun: 'a backup policy' },
  vaults: { schema: armVault, types: ['microsoft.recoveryservices/vaults'], noun: 'a Recovery Services vault' },
  locks: { schema: armLock, types: ['microsoft.authorization/locks'], noun: 'a management lock' },
  // `az vm image show` has no `type`: its id (.../Locations/x/Publishers/p/ArtifactTypes/VMImage/Offers/...) names it.
  imageVersions: {
    schema: armImageVersion,
    types: ['microsoft.compute/locations/publishers/artifacttypes/offers/skus/versions'],
    noun: 'a Marketplace image version',
  },
  diagnosticSettings: { schema: armDiagnosticSetting, types: ['microsoft.insights/diagnosticsettings'], noun: 'a diagnostic setting' },
};

const BY_TYPE = new Map<string, InventoryCollection>();
for (const [collection, spec] of Object.entries(COLLECTIONS) as [InventoryCollection, CollectionSpec][])
  for (const type of spec.types) BY_TYPE.set(type, collection);

/** The declared type of a resource: its `type`, else the type its `id` names (az output of some commands has no `type`). */
export function declaredType(value: Record<string, unknown>): string | null {
  if (typeof value.type === 'string' && value.type.includes('/')) return value.type.toLowerCase();
  return typeof value.id === 'string' ? parseArmId(value.id).type : null;
}

/** The collection a resource of this type belongs to, or null when the inventory has no use for the type. */
export function collectionOfType(type: string | null): InventoryCollection | null {
  if (type === null) return null;
  return BY_TYPE.get(type) ?? null;
}
