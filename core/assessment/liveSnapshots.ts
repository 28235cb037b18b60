import type { Inventory } from '../inventory/inventory.js';
import type { LiveSizeCatalogue } from '../inventory/arm/liveSizeCatalogue.js';
import { parseArmId } from '../armModel/armId.js';
import { normaliseLocation } from '../armModel/location.js';
import { buildVmSnapshot, type SnapshotOptions } from '../snapshot/buildVmSnapshot.js';
import { indexInventory } from '../snapshot/inventoryIndex.js';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';

/** A Resource Graph page's VMs come as documents: their subscription is read from their id. */
const subscriptionOfId = (vmId: string) => parseArmId(vmId).subscriptionId ?? '';

/**
 * Snapshots of the VMs of a live read (one VM from ARM, or a Resource Graph page). Each VM's region is loaded into
 * the size catalogue first: the snapshot looks its size up synchronously, and a region not loaded yet would fall back
 * to the bundled table. The subscription lists the region's sizes (a caller that holds the parsed id passes it).
 */
export async function liveSnapshots(
  sizes: LiveSizeCatalogue,
  inventory: Inventory,
  options: SnapshotOptions,
  subscriptionOf: (vmId: string) => string = subscriptionOfId,
): Promise<VmSnapshot[]> {
  for (const vm of inventory.virtualMachines) await sizes.ensureRegion(normaliseLocation(vm.location), subscriptionOf(vm.id));
  const index = indexInventory(inventory);
  return inventory.virtualMachines.map((vm) => buildVmSnapshot(vm, index, sizes, options));
}
