import type { Inventory } from '../inventory/inventory.js';
import type {
  ArmBackupPolicy,
  ArmImageVersion,
  ArmDisk,
  ArmLock,
  ArmNetworkInterface,
  ArmProtectedItem,
  ArmPublicIpAddress,
  ArmStorageAccount,
  ArmVault,
} from '../armModel/armSchemas.js';
import { propsOf } from '../armModel/armSchemas.js';
import { idKey } from '../armModel/armId.js';

/** The inventory keyed for joins: full ids compared case-insensitively, never names (but storage accounts: see below). */
export interface InventoryIndex {
  disks: Map<string, ArmDisk>;
  networkInterfaces: Map<string, ArmNetworkInterface>;
  publicIpAddresses: Map<string, ArmPublicIpAddress>;
  /** By account name: a `vhd.uri` names only the account, and account names are globally unique DNS labels. */
  storageAccountsByName: Map<string, ArmStorageAccount>;
  /** By the protected VM's id (`sourceResourceId`, else `virtualMachineId`). */
  protectedItemsByVm: Map<string, ArmProtectedItem[]>;
  policies: Map<string, ArmBackupPolicy>;
  vaults: Map<string, ArmVault>;
  locks: ArmLock[];
  /** By `publisher/offer/sku/version`, lower-cased: where a VM's imageReference points. */
  imageVersions: Map<string, ArmImageVersion>;
  /** Diagnostic setting ids by the id of the resource they are set on (the part of their id before `/providers/microsoft.insights`). */
  diagnosticSettingsByTarget: Map<string, string[]>;
  /** VM ids (idKey) whose diagnostic settings the data holds in full. */
  diagnosticSettingsRead: Set<string>;
}

/** `publisher/offer/sku/version` of an image version id (.../Publishers/p/ArtifactTypes/VMImage/Offers/o/Skus/s/Versions/v). */
export function imageVersionKey(publisher: string, offer: string, sku: string, version: string): string {
  return `${publisher}/${offer}/${sku}/${version}`.toLowerCase();
}

function imageVersionKeyOfId(id: string): string | null {
  const m = /\/publishers\/([^/]+)\/artifacttypes\/[^/]+\/offers\/([^/]+)\/skus\/([^/]+)\/versions\/([^/]+)/i.exec(id);
  return m ? imageVersionKey(m[1]!, m[2]!, m[3]!, m[4]!) : null;
}

/**
 * The resource of `map` (keyed by idKey) with this id. An empty collection is answered without lower-casing the id:
 * files often hold only VMs (an `az vm list` export), and every VM looks up its disks, NICs and protection.
 */
export function resourceById<T>(map: ReadonlyMap<string, T>, id: string): T | undefined {
  return map.size === 0 ? undefined : map.get(idKey(id));
}

function byId<T extends { id: string }>(resources: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const resource of resources) {
    const key = idKey(resource.id);
    if (!map.has(key)) map.set(key, resource);
  }
  return map;
}

export function indexInventory(inventory: Inventory): InventoryIndex {
  const storageAccountsByName = new Map<string, ArmStorageAccount>();
  for (const account of inventory.storageAccounts) {
    const name = (account.name ?? account.id.split('/').pop() ?? '').toLowerCase();
    if (name && !storageAccountsByName.has(name)) storageAccountsByName.set(name, account);
  }
  const protectedItemsByVm = new Map<string, ArmProtectedItem[]>();
  for (const item of inventory.protectedItems) {
    const p = propsOf(item);
    // Workload items (SQL, SAP HANA in a VM) also carry the VM as sourceResourceId; only VM backup items count.
    if (!isVmBackupItem(p.protectedItemType, p.workloadType)) continue;
    const vmId = p.sourceResourceId || p.virtualMachineId;
    if (!vmId) continue;
    const key = idKey(vmId);
    const list = protectedItemsByVm.get(key);
    if (list) list.push(item);
    else protectedItemsByVm.set(key, [item]);
  }
  const imageVersions = new Map<string, ArmImageVersion>();
  for (const image of inventory.imageVersions) {
    const key = imageVersionKeyOfId(image.id);
    if (key && !imageVersions.has(key)) imageVersions.set(key, image);
  }
  const diagnosticSettingsByTarget = new Map<string, string[]>();
  for (const setting of inventory.diagnosticSettings) {
    const at = setting.id.toLowerCase().lastIndexOf('/providers/microsoft.insights/diagnosticsettings/');
    if (at <= 0) continue;
    const target = idKey(setting.id.slice(0, at));
    diagnosticSettingsByTarget.set(target, [...(diagnosticSettingsByTarget.get(target) ?? []), setting.id]);
  }
  return {
    disks: byId(inventory.disks),
    networkInterfaces: byId(inventory.networkInterfaces),
    publicIpAddresses: byId(inventory.publicIpAddresses),
    storageAccountsByName,
    protectedItemsByVm,
    policies: byId(inventory.policies),
    vaults: byId(inventory.vaults),
    locks: inventory.locks,
    imageVersions,
    diagnosticSettingsByTarget,
    diagnosticSettingsRead: new Set(inventory.diagnosticSettingsRead.map(idKey)),
  };
}

function isVmBackupItem(protectedItemType: string | null | undefined, workloadType: string | null | undefined): boolean {
  if (protectedItemType) return /virtualmachines$/i.test(protectedItemType);
  if (workloadType) return workloadType.toLowerCase() === 'vm';
  return true;
}
