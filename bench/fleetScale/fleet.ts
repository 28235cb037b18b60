import type { FakeArm } from '../../test/helpers/fakeArm.js';
import { syntheticFleet } from '../syntheticFleet.js';

export const SUBSCRIPTIONS = 100;

/** Deterministic subscription ids (GUID-shaped, so the findings query accepts them). */
export const subscriptionId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export type Resource = Record<string, unknown> & { id: string; name: string };

/**
 * What the bench acts on after loading. The events' VM, disk, item and policy are those of the first VM of
 * subscription 0, and the alerting VMs are the first VMs of subscriptions 1-20: the generator is seeded per
 * subscription, so these are the same VMs (same shape, same findings) at every fleet size, and the drift sets
 * leave them out.
 */
export interface FleetHandles {
  subscriptions: string[];
  eventVm: Resource;
  eventDisk: Resource;
  eventItemId: string;
  /** The policy most VMs of subscription 0 use, and how many do. */
  eventPolicyId: string;
  eventPolicyVms: number;
  alertVms: Resource[];
  /** Two disjoint sets of one VM in a hundred, across all subscriptions: a 1% drift each. */
  driftVms: [Resource[], Resource[]];
  protectedVms: number;
}

/**
 * A fleet of `total` protected VMs over 100 subscriptions, each with its own vault and policies (a backup policy
 * belongs to a vault), put into the fake ARM and Resource Graph one subscription at a time so the bench never
 * holds two copies of it. VM names carry the subscription's number, so a name is unique fleet-wide.
 */
export function loadFleet(arm: FakeArm, total: number): FleetHandles {
  const subscriptions = Array.from({ length: SUBSCRIPTIONS }, (_, i) => subscriptionId(i));
  const handles: Partial<FleetHandles> = { subscriptions, alertVms: [], driftVms: [[], []], protectedVms: 0 };
  let drifting = 0;
  for (let s = 0; s < SUBSCRIPTIONS; s++) {
    const count = Math.floor(total / SUBSCRIPTIONS) + (s < total % SUBSCRIPTIONS ? 1 : 0);
    const fleet = syntheticFleet(count, {
      withResources: true,
      protectedShare: 1,
      subscriptionId: subscriptions[s],
      namePrefix: `vm-s${String(s).padStart(3, '0')}-`,
      seed: 42 + s,
    });
    for (const list of Object.values(fleet)) arm.put(...(list as Resource[]));
    const vms = fleet.virtualMachines as Resource[];
    handles.protectedVms! += fleet.protectedItems.length;
    // Every VM but the events' and the alerts' may drift; counted across the fleet, so small fleets drift 1% too.
    for (const vm of s <= 20 ? vms.slice(1) : vms) {
      if (drifting % 100 === 0) handles.driftVms![0].push(structuredClone(vm));
      if (drifting % 100 === 50) handles.driftVms![1].push(structuredClone(vm));
      drifting += 1;
    }
    if (s >= 1 && s <= 20) handles.alertVms!.push(structuredClone(vms[0]!));
    if (s === 0) {
      const vm = vms[0]!;
      const items = fleet.protectedItems as { id: string; properties: { policyId: string; sourceResourceId: string } }[];
      handles.eventVm = structuredClone(vm);
      handles.eventDisk = structuredClone((fleet.disks as Resource[]).find((d) => String(d.managedBy).toLowerCase() === vm.id.toLowerCase())!);
      handles.eventItemId = items.find((i) => i.properties.sourceResourceId === vm.id)!.id;
      const users = new Map<string, number>();
      for (const item of items) users.set(item.properties.policyId, (users.get(item.properties.policyId) ?? 0) + 1);
      [handles.eventPolicyId, handles.eventPolicyVms] = [...users].sort((a, b) => b[1] - a[1])[0]!;
    }
  }
  return handles as FleetHandles;
}
