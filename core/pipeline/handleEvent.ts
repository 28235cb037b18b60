import { isPending } from '../events/coalesce.js';
import { LOCK_EVALUATIONS_PER_EVENT, vmsUnderLock } from '../events/lockEvents.js';
import { forEachLimited } from '../platform/concurrency.js';
import type { ParsedEvent } from '../events/eventHints.js';
import { eventTarget, type EventTarget } from '../events/eventTarget.js';
import { vmIdFrom } from '../armModel/vmId.js';
import { ownerOfDiskOrNic, vmOfProtectedItem } from '../inventory/arm/readOwner.js';
import { cacheKey } from '../inventory/arm/armReadCache.js';
import type { Trigger } from '../store/index.js';
import { evaluateVm, type EvaluateVmResult } from './evaluateVm.js';
import type { EvaluationServices } from '../assessment/evaluationServices.js';

export type EventOutcome =
  | { action: 'evaluated'; results: EvaluateVmResult[] }
  | { action: 'marked-dirty'; vmIds: string[]; policyIds?: string[] }
  | { action: 'nothing'; why: string; armRefused?: 400 | 403 };

/**
 * ARM's permanent refusals of a read: a malformed request (400) or no permission (403; the identity lacks a role in
 * that scope). A retry cannot fix either, so the event is acknowledged; `armRefused` lets the caller log and count it.
 */
function armRefusal(error: unknown): 400 | 403 | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 400 || status === 403 ? status : null;
}

/**
 * What one event leads to. Events are hints — every path re-reads ARM (or the store) before acting, so duplicate
 * and out-of-order deliveries converge on the state the latest read implies.
 */
export async function handleEvent(services: EvaluationServices, event: ParsedEvent, target: EventTarget = eventTarget(event.hint)): Promise<EventOutcome> {
  try {
    return await handleHint(services, event, target);
  } catch (error) {
    const status = armRefusal(error);
    if (status === null) throw error;
    return { action: 'nothing', why: `ARM refused the read (HTTP ${status})`, armRefused: status };
  }
}

async function handleHint(services: EvaluationServices, event: ParsedEvent, target: EventTarget): Promise<EventOutcome> {
  const trigger: Trigger = { kind: 'event', id: event.id, ...(event.correlationId ? { correlationId: event.correlationId } : {}) };
  const hint = event.hint;
  switch (hint.kind) {
    case 'vm':
      // An event's VM id passed events/strictIds, so it parsed; vmIdFrom only says so for the type checker.
      return { action: 'evaluated', results: [await evaluateVm(services, target.vm ?? vmIdFrom(hint.vmId), trigger)] };
    case 'disk-or-nic': {
      // The VM's own latest read names its disks and NICs (no ARM read); else ARM says (one read).
      const owner = (await services.arm.cache?.peek<string>(cacheKey.owner(hint.resourceId))) ?? (await ownerOfDiskOrNic(hint.resourceId, services.arm));
      if (!owner) return { action: 'nothing', why: `${hint.resourceId} is attached to no VM` };
      // A VM evaluated from a read made after this write, or whose evaluation waits in the queue, already holds it
      // (a VM create writes the VM, its NICs and its disks within seconds).
      if (await isPending(services.store.table, owner)) return { action: 'nothing', why: `an evaluation of ${owner} is pending` };
      if (await evaluatedSince(services, owner, event.time)) return { action: 'nothing', why: `${owner} was evaluated after this write` };
      await services.store.markDirty(owner, { cause: hint.resourceId, eventId: event.id, at: services.now().toISOString() });
      return { action: 'marked-dirty', vmIds: [owner] };
    }
    case 'protected-item': {
      // The item names its VM while it exists; once deleted, the store remembers which VM it protected.
      const vm = hint.deleted ? null : await vmOfProtectedItem(hint.itemId, services.arm);
      const vmIds = vm ? [vm] : await services.store.vmsLinkedTo({ protectedItemId: hint.itemId });
      if (vmIds.length === 0) return { action: 'nothing', why: `no known VM is protected by ${hint.itemId}` };
      const results = [];
      // Ids from ARM (the item's source) or the store enter here.
      for (const vmId of vmIds) results.push(await evaluateVm(services, vmIdFrom(vmId), trigger));
      return { action: 'evaluated', results };
    }
    case 'policy': {
      // One mark for the policy, not one per VM: a policy can protect thousands of VMs, and an event must cost
      // what it touches. The sweep expands the mark into the VMs the store links to the policy.
      await services.store.markPolicyDirty(hint.policyId, { eventId: event.id, at: services.now().toISOString() });
      return { action: 'marked-dirty', vmIds: [], policyIds: [hint.policyId] };
    }
    case 'lock': {
      // The subscription's cached locks were dropped (invalidateCache.ts): each evaluation below reads them again.
      const vmIds = await vmsUnderLock(services.store, hint.lockId);
      if (vmIds.length === 0) return { action: 'nothing', why: `no known VM is under ${hint.lockId}` };
      if (vmIds.length > LOCK_EVALUATIONS_PER_EVENT) {
        const at = services.now().toISOString();
        await forEachLimited(vmIds, 8, (vmId) => services.store.markDirty(vmId, { cause: hint.lockId, eventId: event.id, at }));
        return { action: 'marked-dirty', vmIds };
      }
      const results = [];
      for (const vmId of vmIds) results.push(await evaluateVm(services, vmIdFrom(vmId), trigger));
      return { action: 'evaluated', results };
    }
  }
}

/** Whether the VM's stored evaluation was read from ARM at or after `eventTime` (one point read of its summary). */
async function evaluatedSince(services: EvaluationServices, vmId: string, eventTime: string): Promise<boolean> {
  const at = Date.parse(eventTime);
  if (Number.isNaN(at)) return false;
  const summary = await services.store.vmSummary(vmId);
  return summary !== null && summary.state === 'present' && Date.parse(summary.observedAt) >= at;
}
