import type { z } from 'zod';
import {
  armBackupPolicy,
  armDisk,
  armLock,
  armNetworkInterface,
  armProtectedItem,
  armPublicIpAddress,
  armVault,
  armVirtualMachine,
  propsOf,
} from '../armModel/armSchemas.js';
import { parseArmResource } from '../armModel/armShape.js';
import { idKey, idPrefixThrough, parseArmId } from '../armModel/armId.js';
import { emptyInventory, type Inventory } from '../inventory/inventory.js';
import type { ArmAccess } from '../inventory/arm/armAccess.js';
import { armClients } from '../inventory/arm/armClients.js';
import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import { IDS_PER_QUERY, policiesQuery, protectedVmsQuery, publicIpsQuery, vaultsQuery, type ProtectedVmRow } from './fleetQueries.js';

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

/** The resources several VMs share: read once for the whole fleet, or by id for a few VMs. */
type Shared = Pick<Inventory, 'publicIpAddresses' | 'policies' | 'vaults'>;

async function readShared(
  graph: ResourceGraph,
  subscriptions: readonly string[],
  take: Take,
  ids?: { publicIps: string[]; policies: string[]; vaults: string[] },
): Promise<Shared> {
  const shared: Shared = { publicIpAddresses: [], policies: [], vaults: [] };
  // A narrowed read with nothing to read makes no request (`undefined`: the whole fleet's).
  const batches = (list: string[] | undefined) => (list === undefined ? [undefined] : chunks(list, IDS_PER_QUERY));
  for (const batch of batches(ids?.publicIps))
    for await (const ip of graph.rows(subscriptions, publicIpsQuery(batch))) take(armPublicIpAddress, ip, shared.publicIpAddresses, 'public IP');
  for (const batch of batches(ids?.policies))
    for await (const policy of graph.rows(subscriptions, policiesQuery(batch))) take(armBackupPolicy, policy, shared.policies, 'backup policy');
  for (const batch of batches(ids?.vaults))
    for await (const vault of graph.rows(subscriptions, vaultsQuery(batch))) take(armVault, vault, shared.vaults, 'vault');
  return shared;
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
  const shared = await readShared(graph, subscriptions, taker(sharedSkips));
  const perSubscription = new SubscriptionState(access);
  let rows: ProtectedVmRow[] = [];
  let first = true;
  const flush = async (): Promise<FleetPage> => {
    const skipped = first ? [...sharedSkips] : [];
    first = false;
    const page = await pageOf(rows, perSubscription, taker(skipped));
    rows = [];
    return { inventory: { ...page.inventory, ...shared }, protectedVmIds: page.protectedVmIds, skipped };
  };
  for await (const row of graph.rows<ProtectedVmRow>(subscriptions, protectedVmsQuery())) {
    rows.push(row);
    if (rows.length >= PAGE_ROWS) yield await flush();
  }
  if (rows.length > 0 || first) yield await flush();
}

/**
 * The same pages for some VMs only (the incremental sweep): the protected-VM query narrowed to their ids, in batches,
 * and only the shared resources those VMs refer to, so the snapshot — and its fingerprint — is the one a full read
 * builds. VMs that are not protected are simply absent.
 */
export async function* protectedVmPages(
  access: ArmAccess,
  graph: ResourceGraph,
  subscriptions: readonly string[],
  vmIds: readonly string[],
): AsyncGenerator<FleetPage> {
  const perSubscription = new SubscriptionState(access);
  // Ordered by id, so by subscription: each subscription's ARM lists are read once.
  const sorted = [...new Set(vmIds.map(idKey))].sort();
  for (const batch of chunks(sorted, IDS_PER_QUERY)) {
    const skipped: string[] = [];
    const take = taker(skipped);
    const rows: ProtectedVmRow[] = [];
    for await (const row of graph.rows<ProtectedVmRow>(subscriptions, protectedVmsQuery(batch))) rows.push(row);
    if (rows.length === 0) continue;
    const page = await pageOf(rows, perSubscription, take);
    const shared = await readShared(graph, subscriptions, take, referencedBy(page.inventory));
    yield { inventory: { ...page.inventory, ...shared }, protectedVmIds: page.protectedVmIds, skipped };
  }
}

/** The shared resources a page's VMs refer to, lower-cased: their NICs' public IPs, their items' policies and vaults. */
function referencedBy(inventory: Inventory): { publicIps: string[]; policies: string[]; vaults: string[] } {
  const publicIps = new Set<string>();
  const policies = new Set<string>();
  const vaults = new Set<string>();
  for (const nic of inventory.networkInterfaces) {
    for (const config of propsOf(nic).ipConfigurations ?? []) {
      const id = propsOf(config).publicIPAddress?.id;
      if (id) publicIps.add(idKey(id));
    }
  }
  for (const item of inventory.protectedItems) {
    const policyId = propsOf(item).policyId;
    if (policyId) policies.add(idKey(policyId));
    const vaultId = idPrefixThrough(item.id, 'vaults') ?? (policyId ? idPrefixThrough(policyId, 'vaults') : null);
    if (vaultId) vaults.add(idKey(vaultId));
  }
  return { publicIps: [...publicIps], policies: [...policies], vaults: [...vaults] };
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** One page's VMs with their items, disks, NICs, instance views and locks (the shared resources are added by the caller). */
async function pageOf(rows: readonly ProtectedVmRow[], perSubscription: SubscriptionState, take: Take): Promise<Omit<FleetPage, 'skipped'>> {
  const inventory: Inventory = emptyInventory();
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
