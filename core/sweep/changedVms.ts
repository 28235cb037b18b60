import { z } from 'zod';
import type { ResourceGraph } from '../inventory/arm/resourceGraph.js';
import type { SweepState } from '../store/index.js';
import { idKey } from '../armModel/armId.js';
import { changedItemsQuery, changeOwnersQuery, IDS_PER_QUERY, POLICY_TYPE, PROTECTED_ITEM_TYPE, resourceChangesQuery } from './fleetQueries.js';

const changeRow = z.object({ targetId: z.string(), targetType: z.string(), changedAt: z.string() });
const ownerRow = z.object({ targetId: z.string(), vmId: z.string().nullish() });

export interface ChangedVms {
  /** VM id key (idKey) → VM id, for every VM a change since the mark may have touched. */
  vms: Map<string, string>;
  /** Change rows read (one per changed resource). */
  changes: number;
  /** Rows that were not the shape the query returns: left out, with the reason. */
  skipped: string[];
}

const VM_TYPE = 'microsoft.compute/virtualmachines';

/**
 * The VMs that Resource Graph's change history says may have changed after `since`: one query, and nothing more when
 * nothing changed. Changed disks, NICs and public IPs are mapped to their VM as they are now by one narrow query per
 * 100 of them, changed protected items by another; policies, and items that are gone, map to the VMs the store
 * links to them (one index partition each).
 */
export async function changedVms(store: SweepState, graph: ResourceGraph, subscriptions: readonly string[], since: Date): Promise<ChangedVms> {
  const vms = new Map<string, string>();
  const skipped: string[] = [];
  const add = (vmId: string | null | undefined) => void (vmId && vms.set(idKey(vmId), vmId));
  const owned: string[] = [];
  const items: string[] = [];
  let changes = 0;
  for await (const raw of graph.rows<unknown>(subscriptions, resourceChangesQuery(since))) {
    changes += 1;
    const parsed = changeRow.safeParse(raw);
    if (!parsed.success) {
      skipped.push(`resource change ${(raw as { targetId?: string })?.targetId ?? '?'}: ${parsed.error.issues[0]?.message}`);
      continue;
    }
    const { targetId, targetType } = parsed.data;
    if (targetType === VM_TYPE) add(targetId);
    else if (targetType === POLICY_TYPE) for (const vmId of await store.vmsLinkedTo({ policyId: targetId })) add(vmId);
    else if (targetType === PROTECTED_ITEM_TYPE) {
      items.push(targetId);
      for (const vmId of await store.vmsLinkedTo({ protectedItemId: targetId })) add(vmId);
    } else owned.push(targetId);
  }
  const mapped = async (ids: readonly string[], query: (batch: readonly string[]) => string) => {
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      for await (const raw of graph.rows<unknown>(subscriptions, query(ids.slice(i, i + IDS_PER_QUERY)))) {
        const parsed = ownerRow.safeParse(raw);
        if (parsed.success) add(parsed.data.vmId);
        else skipped.push(`owner of ${(raw as { targetId?: string })?.targetId ?? '?'}: ${parsed.error.issues[0]?.message}`);
      }
    }
  };
  await mapped(owned, changeOwnersQuery);
  await mapped(items, changedItemsQuery);
  return { vms, changes, skipped };
}
