import type { z } from 'zod';
import { armBackupPolicy, armDisk, armLock, armNetworkInterface, armProtectedItem, armPublicIpAddress, armVault, armVirtualMachine } from '../snapshot/armSchemas.js';
import { parseArmResource } from '../snapshot/armShape.js';
import { idKey, parseArmId } from '../snapshot/armId.js';
import { emptyInventory, type Inventory } from '../inventory/inventory.js';
import type { ArmAccess } from '../inventory/arm/armAccess.js';
import { armClients } from '../inventory/arm/armClients.js';
import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import { POLICIES_QUERY, PROTECTED_VMS_QUERY, PUBLIC_IPS_QUERY, VAULTS_QUERY, type ProtectedVmRow } from './fleetQueries.js';

export interface FleetRead {
  inventory: Inventory;
  /** Protected VM ids as ARM spells them, in id order (including VMs whose row was skipped: still protected). */
  protectedVmIds: string[];
  /** Rows Resource Graph returned that do not have the shape the rules read: left out, with the reason. */
  skipped: string[];
}

/**
 * The protected fleet in a handful of requests: Resource Graph pages of 1,000 rows (protected VMs joined to their
 * VM, disks and NICs; public IPs; policies; vaults), then per subscription one paged ARM list of instance views
 * (agent and power state, which Resource Graph lacks) and one of locks.
 */
export async function readProtectedFleet(access: ArmAccess, graph: ResourceGraph, subscriptions: readonly string[]): Promise<FleetRead> {
  const inventory = emptyInventory();
  const skipped: string[] = [];
  const take = <S extends z.ZodType>(schema: S, value: unknown, into: z.output<S>[], what: string) => {
    const parsed = parseArmResource(schema, value);
    if (parsed.success) into.push(parsed.data);
    else skipped.push(`${what} ${(value as { id?: string })?.id ?? '?'}: ${parsed.error.issues[0]?.message}`);
    return parsed.success;
  };

  const protectedVmIds: string[] = [];
  for await (const row of graph.rows<ProtectedVmRow>(subscriptions, PROTECTED_VMS_QUERY)) {
    const id = (row.vm as { id?: unknown })?.id;
    if (typeof id === 'string') protectedVmIds.push(id);
    if (!take(armVirtualMachine, row.vm, inventory.virtualMachines, 'virtual machine')) continue;
    take(armProtectedItem, row.item, inventory.protectedItems, 'protected item');
    for (const disk of row.disks ?? []) take(armDisk, disk, inventory.disks, 'disk');
    for (const nic of row.nics ?? []) take(armNetworkInterface, nic, inventory.networkInterfaces, 'network interface');
  }
  for await (const ip of graph.rows(subscriptions, PUBLIC_IPS_QUERY)) take(armPublicIpAddress, ip, inventory.publicIpAddresses, 'public IP');
  for await (const policy of graph.rows(subscriptions, POLICIES_QUERY)) take(armBackupPolicy, policy, inventory.policies, 'backup policy');
  for await (const vault of graph.rows(subscriptions, VAULTS_QUERY)) take(armVault, vault, inventory.vaults, 'vault');

  // The subscriptions the protected VMs live in (when the sweep covers "all the identity can read").
  const seen = [...new Set(protectedVmIds.map((id) => parseArmId(id).subscriptionId?.toLowerCase() ?? '').filter(Boolean))];
  const byId = new Map(inventory.virtualMachines.map((vm) => [idKey(vm.id), vm]));
  for (const subscription of seen) {
    const clients = armClients(access, subscription);
    const compute = await clients.compute();
    for await (const vm of compute.virtualMachines.listAll({ statusOnly: 'true' })) {
      const target = vm.id ? byId.get(idKey(vm.id)) : undefined;
      const instanceView = (vm as { instanceView?: unknown }).instanceView;
      if (target && instanceView) {
        // The instance view joins the Resource Graph row as if it had been read with $expand=instanceView.
        const properties = (target.properties ?? {}) as Record<string, unknown>;
        target.properties = { ...properties, instanceView: JSON.parse(JSON.stringify(instanceView)) } as typeof target.properties;
      }
    }
    const locks = await clients.locks();
    for await (const lock of locks.managementLocks.listAtSubscriptionLevel()) take(armLock, JSON.parse(JSON.stringify(lock)), inventory.locks, 'lock');
  }
  return { inventory, protectedVmIds, skipped };
}
