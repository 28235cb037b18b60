import type { SweepState } from '../store/index.js';
import { idKey } from '../armModel/armId.js';
import type { DirtyMarks } from './sweepRun.js';

export interface ExpandedMarks {
  /** VM id key (idKey) → its mark; a VM reached only through a policy mark has an empty ETag (it has no mark of its own). */
  marks: DirtyMarks;
  /** The policy marks expanded, to clear once the sweep has handled every VM they named. */
  policyMarks: { policyId: string; etag: string }[];
}

/**
 * The dirty partition, with each changed policy's mark expanded into the VMs the store links to that policy (one
 * link partition per policy). Events mark the policy, not its VMs, so an event costs one write however many VMs the
 * policy protects; the sweep pays for the expansion once.
 */
export async function expandedDirtyMarks(store: SweepState): Promise<ExpandedMarks> {
  const marks: DirtyMarks = new Map();
  const policyMarks: ExpandedMarks['policyMarks'] = [];
  for (const [key, mark] of await store.dirtyMarks()) {
    if (mark.vmId) marks.set(key, { etag: mark.etag, vmId: mark.vmId });
    else if (mark.policyId) policyMarks.push({ policyId: mark.policyId, etag: mark.etag });
    if (!mark.policyId) continue;
    for (const vmId of await store.vmsLinkedTo({ policyId: mark.policyId })) {
      const vmKey = idKey(vmId);
      if (!marks.has(vmKey)) marks.set(vmKey, { etag: '', vmId });
    }
  }
  return { marks, policyMarks };
}

/** After a complete sweep: the policy marks it expanded are done (a mark set again since has another ETag and stays). */
export async function clearPolicyMarks(store: SweepState, expanded: ExpandedMarks): Promise<void> {
  for (const { policyId, etag } of expanded.policyMarks) await store.clearPolicyDirty(policyId, etag);
}
