import { idKey } from '../armModel/armId.js';
import { emptyInventory, INVENTORY_COLLECTIONS, type Inventory } from './inventory.js';

export interface SourcedInventory {
  file: string;
  inventory: Inventory;
}

export interface MergedInventory {
  inventory: Inventory;
  /** One line per VM id seen more than once: it is evaluated once, from the first file that has it. */
  warnings: string[];
}

/** Files merge into one inventory, so a VM in one file joins disks and NICs from another. */
export function mergeInventories(sources: readonly SourcedInventory[]): MergedInventory {
  const merged = emptyInventory();
  const warnings: string[] = [];
  const firstSeen = new Map<string, string>();
  for (const { file, inventory } of sources) {
    for (const vm of inventory.virtualMachines) {
      const key = idKey(vm.id);
      const earlier = firstSeen.get(key);
      if (earlier !== undefined) {
        warnings.push(`duplicate VM ${vm.id} in ${file} (first seen in ${earlier}): evaluated once, from ${earlier}`);
        continue;
      }
      firstSeen.set(key, file);
      merged.virtualMachines.push(vm);
    }
    for (const collection of INVENTORY_COLLECTIONS) {
      if (collection === 'virtualMachines') continue;
      (merged[collection] as unknown[]).push(...inventory[collection]);
    }
    merged.diagnosticSettingsRead.push(...inventory.diagnosticSettingsRead);
  }
  return { inventory: merged, warnings };
}
