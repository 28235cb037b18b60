import { buildVmSnapshot } from './buildVmSnapshot.js';
import { indexInventory } from './inventoryIndex.js';
import type { VmSnapshot } from './vmSnapshot.js';
import type { Inventory } from '../inventory/inventory.js';
import type { SizeCatalogue } from '../inventory/sizeCatalogue.js';

/**
 * Every VM of the inventory as a snapshot, joined with the other resources by id, one at a time: a large fleet
 * is evaluated without holding every snapshot in memory at once.
 */
export function* iterateSnapshots(inventory: Inventory, sizes: SizeCatalogue): Generator<VmSnapshot> {
  const index = indexInventory(inventory);
  for (const vm of inventory.virtualMachines) yield buildVmSnapshot(vm, index, sizes);
}

export function snapshotsOf(inventory: Inventory, sizes: SizeCatalogue): VmSnapshot[] {
  return [...iterateSnapshots(inventory, sizes)];
}
