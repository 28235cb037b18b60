import type { ParsedEvent } from '../events/eventHints.js';
import { ownerOfDiskOrNic, vmOfProtectedItem } from '../inventory/arm/readOwner.js';
import type { Trigger } from '../store/rows.js';
import { evaluateVm, type EvaluateVmResult, type EvaluationServices } from './evaluateVm.js';

export type EventOutcome =
  | { action: 'evaluated'; results: EvaluateVmResult[] }
  | { action: 'marked-dirty'; vmIds: string[]; policyIds?: string[] }
  | { action: 'nothing'; why: string };

/**
 * What one event leads to. Events are hints — every path re-reads ARM (or the store) before acting, so duplicate
 * and out-of-order deliveries converge on the state the latest read implies.
 */
export async function handleEvent(services: EvaluationServices, event: ParsedEvent): Promise<EventOutcome> {
  const trigger: Trigger = { kind: 'event', id: event.id, ...(event.correlationId ? { correlationId: event.correlationId } : {}) };
  const hint = event.hint;
  switch (hint.kind) {
    case 'vm':
      return { action: 'evaluated', results: [await evaluateVm(services, hint.vmId, trigger)] };
    case 'disk-or-nic': {
      const owner = await ownerOfDiskOrNic(hint.resourceId, services.arm);
      if (!owner) return { action: 'nothing', why: `${hint.resourceId} is attached to no VM` };
      await services.store.markDirty(owner, { cause: hint.resourceId, eventId: event.id, at: services.now().toISOString() });
      return { action: 'marked-dirty', vmIds: [owner] };
    }
    case 'protected-item': {
      // The item names its VM while it exists; once deleted, the store remembers which VM it protected.
      const vm = hint.deleted ? null : await vmOfProtectedItem(hint.itemId, services.arm);
      const vmIds = vm ? [vm] : await services.store.vmsLinkedTo({ protectedItemId: hint.itemId });
      if (vmIds.length === 0) return { action: 'nothing', why: `no known VM is protected by ${hint.itemId}` };
      const results = [];
      for (const vmId of vmIds) results.push(await evaluateVm(services, vmId, trigger));
      return { action: 'evaluated', results };
    }
    case 'policy': {
      // One mark for the policy, not one per VM: a policy can protect thousands of VMs, and an event must cost
      // what it touches. The sweep expands the mark into the VMs the store links to the policy.
      await services.store.markPolicyDirty(hint.policyId, { eventId: event.id, at: services.now().toISOString() });
      return { action: 'marked-dirty', vmIds: [], policyIds: [hint.policyId] };
    }
  }
}
