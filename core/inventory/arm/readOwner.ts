import { armDisk, armNetworkInterface, armProtectedItem, propsOf } from '../../armModel/armSchemas.js';
import { parseArmResource } from '../../armModel/armShape.js';
import { parseArmId } from '../../armModel/armId.js';
import type { ArmAccess } from './armAccess.js';
import { armClients } from './armClients.js';
import { statusOf } from './armErrors.js';

/** null when ARM says 404: the resource is gone, and with it the reason to look. */
async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The VM a managed disk (`managedBy`) or a NIC (`virtualMachine.id`) belongs to, read now from ARM. */
export async function ownerOfDiskOrNic(resourceId: string, access: ArmAccess): Promise<string | null> {
  const id = parseArmId(resourceId);
  if (!id.subscriptionId || !id.resourceGroup || !id.name) return null;
  const clients = armClients(access, id.subscriptionId);
  if (id.type === 'microsoft.compute/disks') {
    const disk = await orNull(async () => (await clients.compute()).disks.get(id.resourceGroup!, id.name!));
    const parsed = disk ? parseArmResource(armDisk, JSON.parse(JSON.stringify(disk))) : null;
    const owner = parsed?.success ? parsed.data.managedBy : null;
    return owner && /\/virtualmachines\//i.test(owner) ? owner : null;
  }
  if (id.type === 'microsoft.network/networkinterfaces') {
    const nic = await orNull(async () => (await clients.network()).networkInterfaces.get(id.resourceGroup!, id.name!));
    const parsed = nic ? parseArmResource(armNetworkInterface, JSON.parse(JSON.stringify(nic))) : null;
    return parsed?.success ? (propsOf(parsed.data).virtualMachine?.id ?? null) : null;
  }
  return null;
}

/** The VM a Recovery Services protected item protects (`sourceResourceId`), or null when the item is gone. */
export async function vmOfProtectedItem(itemId: string, access: ArmAccess): Promise<string | null> {
  const parts = itemId.split('/');
  const at = (segment: string) => parts[parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase()) + 1] ?? '';
  const id = parseArmId(itemId);
  if (!id.subscriptionId || !id.resourceGroup) return null;
  const backup = await armClients(access, id.subscriptionId).backup();
  const item = await orNull(() =>
    backup.protectedItems.get(at('vaults'), id.resourceGroup!, at('backupFabrics'), at('protectionContainers'), at('protectedItems')),
  );
  const parsed = item ? parseArmResource(armProtectedItem, JSON.parse(JSON.stringify(item))) : null;
  if (!parsed?.success) return null;
  const p = propsOf(parsed.data);
  return p.sourceResourceId ?? p.virtualMachineId ?? null;
}
