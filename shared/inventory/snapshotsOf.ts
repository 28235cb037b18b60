import { buildVmSnapshot } from '../snapshot/buildVmSnapshot.js';
import { indexInventory } from '../snapshot/inventoryIndex.js';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import type { Inventory } from './inventory.js';
import type { SizeCatalogue } from './sizeCatalogue.js';

/** Every VM of the inventory as a snapshot, joined with the other resources by id. */
export function snapshotsOf(inventory: Inventory, sizes: SizeCatalogue): VmSnapshot[] {
  const index = indexInventory(inventory);
  return inventory.virtualMachines.map((vm) => buildVmSnapshot(vm, index, sizes));
}
