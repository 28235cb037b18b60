import { armBackupPolicy, armProtectedItem, armVault, armVirtualMachine, propsOf } from '../../armModel/armSchemas.js';
import { parseArmId } from '../../armModel/armId.js';
import { normaliseLocation } from '../../armModel/location.js';
import type { VmId } from '../../armModel/vmId.js';
import { emptyInventory, type Inventory } from '../inventory.js';
import { armClients, type ArmClients } from './armClients.js';
import { cacheKey } from './armReadCache.js';
import type { ArmAccess } from './armAccess.js';
import { isTransient, statusOf, VmNotFoundError } from './armErrors.js';
import { cachedById, optional, relatedReads, validated } from './relatedReads.js';

export interface VmRead {
  inventory: Inventory;
  /** When the read started: evaluations of one VM are ordered by it. */
  observedAt: string;
  location: string | null;
  /** Set when the VM's backup protection could not be read (e.g. 403 without Backup Reader). */
  protectionUnreadable?: string;
  /** Set when the subscription's locks could not be read (403). */
  locksUnreadable?: string;
}

/**
 * Everything the rules need about one VM, read live from ARM with the Azure SDK clients: the VM with its instance
 * view, its managed disks, NICs and their public IPs, the locks of its subscription, and its backup protection
 * (backup status → protected item, policy, vault). Reads are concurrent where they do not depend on each other.
 * With `access.cache` (the Function App) what many VMs share is read once per cache lifetime (relatedReads): a VM
 * then costs three fresh reads of its own — itself, its backup status and its protected item — plus a NIC or disk
 * that the cached list of its group does not hold yet.
 */
export async function readVmFromArm(target: VmId, access: ArmAccess, now: () => Date): Promise<VmRead> {
  const observedAt = now().toISOString();
  const { id: vmId, subscriptionId, resourceGroup, name } = target;
  const clients = armClients(access, subscriptionId);
  const compute = await clients.compute();

  let vmResource: unknown;
  try {
    vmResource = await compute.virtualMachines.get(resourceGroup, name, { expand: 'instanceView' });
  } catch (error) {
    if (statusOf(error) === 404) throw new VmNotFoundError(vmId);
    throw error;
  }
  const vm = validated(armVirtualMachine, vmResource, `virtual machine ${vmId}`);
  const p = propsOf(vm);
  const inventory = emptyInventory();
  inventory.virtualMachines.push(vm);
  const location = normaliseLocation(vm.location);

  const diskIds = [p.storageProfile?.osDisk?.managedDisk?.id, ...(p.storageProfile?.dataDisks ?? []).map((d) => d.managedDisk?.id)].filter((id): id is string =>
    Boolean(id),
  );
  const nicIds = (p.networkProfile?.networkInterfaces ?? []).map((n) => n.id).filter((id): id is string => Boolean(id));

  const related = relatedReads(access, access.cache);
  // What the VM itself says it is attached to: an event for one of these can be matched to this read (coalescing).
  for (const id of [...diskIds, ...nicIds]) access.cache?.set(cacheKey.owner(id), vmId);
  const [disks, nics, locks, protection] = await Promise.all([
    Promise.all(diskIds.map((id) => related.disk(id))),
    readNics(related, nicIds),
    related.locks(subscriptionId),
    readProtection(clients, access, target, location),
  ]);
  for (const disk of disks) if (disk) inventory.disks.push(disk);
  inventory.networkInterfaces.push(...nics.nics);
  inventory.publicIpAddresses.push(...nics.publicIps);
  inventory.locks.push(...(locks ?? []));
  const unreadable = locks === null ? { locksUnreadable: 'no permission to list them' } : {};
  if ('unreadable' in protection) return { inventory, observedAt, location, protectionUnreadable: protection.unreadable, ...unreadable };
  inventory.protectedItems.push(...protection.items);
  inventory.policies.push(...protection.policies);
  inventory.vaults.push(...protection.vaults);
  return { inventory, observedAt, location, ...unreadable };
}

async function readNics(related: ReturnType<typeof relatedReads>, nicIds: string[]) {
  const nics = (await Promise.all(nicIds.map((id) => related.nic(id)))).filter((n) => n !== null);
  const ipIds = nics.flatMap((nic) =>
    (propsOf(nic).ipConfigurations ?? []).map((c) => propsOf(c).publicIPAddress?.id).filter((id): id is string => Boolean(id)),
  );
  const publicIps = (await Promise.all(ipIds.map((id) => related.publicIp(id)))).filter((ip) => ip !== null);
  return { nics, publicIps };
}

async function readProtection(clients: ArmClients, access: ArmAccess, vm: VmId, location: string | null) {
  if (!location) return { unreadable: 'the VM has no location' };
  const backup = await clients.backup();
  let status: Awaited<ReturnType<typeof backup.backupStatus.get>>;
  try {
    status = await backup.backupStatus.get(location, { resourceType: 'VM', resourceId: vm.id });
  } catch (error) {
    if (isTransient(error)) throw error;
    return { unreadable: `backup status: HTTP ${statusOf(error)}` };
  }
  if (status.protectionStatus !== 'Protected' && status.protectionStatus !== 'Protecting') return { items: [], policies: [], vaults: [] };
  if (!status.vaultId || !status.containerName || !status.protectedItemName) return { unreadable: 'backup status names no vault or protected item' };
  const vault = parseArmId(status.vaultId);
  const vaultClients =
    vault.subscriptionId && vault.subscriptionId.toLowerCase() !== vm.subscriptionId.toLowerCase() ? armClients(access, vault.subscriptionId) : clients;
  const vaultBackup = await vaultClients.backup();
  const vaultName = vault.name ?? '';
  const vaultGroup = vault.resourceGroup ?? '';
  const item = await optional(async () =>
    validated(
      armProtectedItem,
      await vaultBackup.protectedItems.get(vaultName, vaultGroup, status.fabricName ?? 'Azure', status.containerName!, status.protectedItemName!),
      'protected item',
    ),
  );
  if (!item) return { unreadable: 'the protected item named by the backup status is not readable' };
  const policyId = propsOf(item).policyId;
  const [policy, vaultResource] = await Promise.all([
    policyId
      ? cachedById(access.cache, 'policy', policyId, () =>
          optional(async () =>
            validated(
              armBackupPolicy,
              await vaultBackup.protectionPolicies.get(vaultName, vaultGroup, parseArmId(policyId).name ?? ''),
              `backup policy ${policyId}`,
            ),
          ),
        )
      : null,
    cachedById(access.cache, 'vault', status.vaultId, () =>
      optional(async () => validated(armVault, await (await vaultClients.vaults()).vaults.get(vaultGroup, vaultName), `vault ${status.vaultId}`)),
    ),
  ]);
  return { items: [item], policies: policy ? [policy] : [], vaults: vaultResource ? [vaultResource] : [] };
}
