import type { z } from 'zod';
import { armBackupPolicy, armDisk, armLock, armNetworkInterface, armProtectedItem, armPublicIpAddress, armVault, armVirtualMachine } from '../snapshot/armSchemas.js';
import { parseArmResource } from '../snapshot/armShape.js';
import { idKey, parseArmId } from '../snapshot/armId.js';
import { emptyInventory, type Inventory } from '../inventory/inventory.js';
import type { ArmAccess } from '../inventory/arm/armAccess.js';
import { armClients } from '../inventory/arm/armClients.js';
import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import { POLICIES_QUERY, PROTECTED_VMS_QUERY, PUBLIC_IPS_QUERY, VAULTS_QUERY, type ProtectedVmRow } from './fleetQueries.js';

export interface FleetPage {
  /** This page's VMs with their items, disks and NICs, plus the shared resources (public IPs, policies, vaults, locks). */
  inventory: Inventory;
  /** Protected VM ids as ARM spells them (including VMs whose row was skipped: still protected). */
  protectedVmIds: string[];
  /** Rows Resource Graph returned that do not have the shape the rules read: left out, with the reason. */
  skipped: string[];
}

/** Rows of the protected-VM query per page: Resource Graph's own page size, so a page is one request. */
const PAGE_ROWS = 1000;

type Take = <S extends z.ZodType>(schema: S, value: unknown, into: z.output<S>[], what: string) => boolean;

function taker(skipped: string[]): Take {
  return (schema, value, into, what) => {
    const parsed = parseArmResource(schema, value);
    if (parsed.success) into.push(parsed.data);
    else skipped.push(`${what} ${(value as { id?: string })?.id ?? '?'}: ${parsed.error.issues[0]?.message}`);
    return parsed.success;
  };
}

/**
 * The protected fleet, a page at a time, so a sweep never holds it whole. Shared resources first (public IPs,
 * policies, vaults: far fewer than VMs), then the protected VMs joined to their disks and NICs in pages of 1,000
 * rows. Instance views (agent and power state, which Resource Graph lacks) and locks come from ARM, one paged list
 * per subscription, read when the first VM of that subscription appears and dropped when the next one starts (the
 * rows come ordered by VM id, so by subscription).
 */
export async function* protectedFleetPages(access: ArmAccess, graph: ResourceGraph, subscriptions: readonly string[]): AsyncGenerator<FleetPage> {
  const sharedSkips: string[] = [];
  const take = taker(sharedSkips);
  const shared = emptyInventory();
  for await (const ip of graph.rows(subscriptions, PUBLIC_IPS_QUERY)) take(armPublicIpAddress, ip, shared.publicIpAddresses, 'public IP');
  for await (const policy of graph.rows(subscriptions, POLICIES_QUERY)) take(armBackupPolicy, policy, shared.policies, 'backup policy');
  for await (const vault of graph.rows(subscriptions, VAULTS_QUERY)) take(armVault, vault, shared.vaults, 'vault');

  const perSubscription = new SubscriptionState(access);
  let rows: ProtectedVmRow[] = [];
  let first = true;
  const flush = async (): Promise<FleetPage> => {
    const skipped = first ? [...sharedSkips] : [];
    first = false;
    const page = await pageOf(rows, shared, perSubscription, taker(skipped));
    rows = [];
    return { ...page, skipped };
  };
  for await (const row of graph.rows<ProtectedVmRow>(subscriptions, PROTECTED_VMS_QUERY)) {
    rows.push(row);
    if (rows.length >= PAGE_ROWS) yield await flush();
  }
  if (rows.length > 0 || first) yield await flush();
}

async function pageOf(rows: readonly ProtectedVmRow[], shared: Inventory, perSubscription: SubscriptionState, take: Take): Promise<Omit<FleetPage, 'skipped'>> {
  const inventory: Inventory = { ...emptyInventory(), publicIpAddresses: shared.publicIpAddresses, policies: shared.policies, vaults: shared.vaults };
  const protectedVmIds: string[] = [];
  for (const row of rows) {
    const id = (row.vm as { id?: unknown })?.id;
    if (typeof id === 'string') protectedVmIds.push(id);
    if (!take(armVirtualMachine, row.vm, inventory.virtualMachines, 'virtual machine')) continue;
    take(armProtectedItem, row.item, inventory.protectedItems, 'protected item');
    for (const disk of row.disks ?? []) take(armDisk, disk, inventory.disks, 'disk');
    for (const nic of row.nics ?? []) take(armNetworkInterface, nic, inventory.networkInterfaces, 'network interface');
  }
  const locks = new Map<string, Inventory['locks']>();
  for (const vm of inventory.virtualMachines) {
    const subscription = parseArmId(vm.id).subscriptionId?.toLowerCase() ?? '';
    const state = await perSubscription.load(subscription, take);
    locks.set(subscription, state.locks);
    const instanceView = state.instanceViews.get(idKey(vm.id));
    if (instanceView) {
      // The instance view joins the Resource Graph row as if it had been read with $expand=instanceView.
      vm.properties = { ...((vm.properties ?? {}) as Record<string, unknown>), instanceView } as typeof vm.properties;
    }
  }
  inventory.locks = [...locks.values()].flat();
  return { inventory, protectedVmIds };
}

/** The ARM reads of the subscription the pages are in now; one subscription held at a time. */
class SubscriptionState {
  private current: { subscription: string; instanceViews: Map<string, unknown>; locks: Inventory['locks'] } | null = null;

  constructor(private readonly access: ArmAccess) {}

  async load(subscription: string, take: Take) {
    if (this.current?.subscription === subscription) return this.current;
    const clients = armClients(this.access, subscription);
    const instanceViews = new Map<string, unknown>();
    const compute = await clients.compute();
    for await (const vm of compute.virtualMachines.listAll({ statusOnly: 'true' })) {
      const instanceView = (vm as { instanceView?: unknown }).instanceView;
      if (vm.id && instanceView) instanceViews.set(idKey(vm.id), JSON.parse(JSON.stringify(instanceView)));
    }
    const locks: Inventory['locks'] = [];
    const lockClient = await clients.locks();
    for await (const lock of lockClient.managementLocks.listAtSubscriptionLevel()) take(armLock, JSON.parse(JSON.stringify(lock)), locks, 'lock');
    this.current = { subscription, instanceViews, locks };
    return this.current;
  }
}
