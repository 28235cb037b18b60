import { readFileSync } from 'node:fs';
import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { vmChanged } from '../../functions/vmChanged.js';
import { parseEventDelivery } from '../../core/events/eventHints.js';
import { invalidateFor } from '../../core/events/invalidateCache.js';
import { ArmReadCache, cacheKey } from '../../core/inventory/arm/armReadCache.js';
import { handleEvent } from '../../core/pipeline/handleEvent.js';
import type { EvaluationServices } from '../../core/assessment/evaluationServices.js';
import { LOCK_EVALUATIONS_PER_EVENT, lockScope, vmsUnderLock } from '../../core/events/lockEvents.js';
import type { SweepProjection } from '../../core/store/index.js';
import { cleanInventory, RG, SUB, VM_ID, type Json } from '../helpers/cleanVm.js';
import { drainEventQueue } from '../helpers/eventQueue.js';
import { armEvent, useLiveEnvironment } from '../helpers/liveServices.js';

const env = useLiveEnvironment();

const RG_LOCK = `${RG}/providers/Microsoft.Authorization/locks/rg-no-delete`;
const SUB_LOCK = `/subscriptions/${SUB}/providers/Microsoft.Authorization/locks/sub-no-delete`;
const VM_LOCK = `${VM_ID}/providers/Microsoft.Authorization/locks/vm-no-delete`;

/**
 * A lock event as Event Grid delivers it: the documented ARM event fixtures (a storage account written or deleted),
 * with the lock's id, operation and provider in place of the storage account's.
 */
function lockEvent(kind: 'write' | 'delete', lockId: string, id: string): Json {
  const fixture = kind === 'write' ? 'arm_subscription_ResourceWriteSuccess' : 'arm_subscription_ResourceDeleteSuccess';
  const text = readFileSync(new URL(`../fixtures/eventgrid/${fixture}.eventgridschema.json`, import.meta.url), 'utf8')
    .replace(
      /\/subscriptions\/\{subscription-id\}\/resourceGroups\/\{resource-group\}\/providers\/Microsoft\.Storage\/storageAccounts\/\{storage-name\}/gi,
      lockId,
    )
    .replaceAll('{subscription-id}', SUB)
    .replaceAll(`Microsoft.Storage/storageAccounts/${kind}`, `Microsoft.Authorization/locks/${kind}`)
    .replaceAll('"Microsoft.Storage"', '"Microsoft.Authorization"');
  const [event] = JSON.parse(text) as Json[];
  return { ...event, id, eventTime: new Date().toISOString() };
}

const context = () => new InvocationContext({ functionName: 'vmChanged', logHandler: () => {} });
const lock = (id: string) => ({ id, type: 'Microsoft.Authorization/locks', name: id.split('/').pop(), properties: { level: 'CanNotDelete', notes: 'test' } });

describe('lock events', () => {
  it('a lock write or delete, as Event Grid delivers it, is parsed into a lock hint', async () => {
    for (const kind of ['write', 'delete'] as const) {
      const { events, rejected } = await parseEventDelivery(lockEvent(kind, RG_LOCK, `lock-${kind}`));
      expect(rejected).toEqual([]);
      expect(events).toMatchObject([
        { id: `lock-${kind}`, type: `Microsoft.Resources.Resource${kind === 'write' ? 'Write' : 'Delete'}Success`, hint: { kind: 'lock', lockId: RG_LOCK } },
      ]);
    }
    // Subscription and resource locks are locks too; loose ids are refused with a reason.
    for (const id of [SUB_LOCK, VM_LOCK]) expect((await parseEventDelivery(lockEvent('write', id, 'x'))).events[0]?.hint).toEqual({ kind: 'lock', lockId: id });
    for (const id of [`${RG_LOCK}/../other`, RG_LOCK.replace(SUB, 'not-a-guid'), `${RG}/providers/Microsoft.Authorization/locks`]) {
      const { events, rejected } = await parseEventDelivery(lockEvent('write', id, 'x'));
      expect({ id, events, rejected: rejected.length }).toEqual({ id, events: [], rejected: 1 });
    }
  });

  it("drops the subscription's cached locks, and nothing else", () => {
    const cache = new ArmReadCache(60_000);
    cache.set(cacheKey.locks(SUB), []);
    cache.set(cacheKey.group('disks', SUB, 'rg-app'), []);
    invalidateFor(cache, { kind: 'lock', lockId: RG_LOCK });
    expect(cache.invalidate('')).toBe(1); // only the group's disks were left
  });

  it('which VMs a lock can change: the subscription, the group, a default restore point group; a resource lock none', async () => {
    const rows = (list: [string, string, string][]) => ({
      async *projections(): AsyncIterable<SweepProjection> {
        for (const [vmId, state, protectedItemId] of list)
          yield { rowKey: vmId, vmId, state, protectedItemId, fingerprint: '', lastEvaluatedAt: '' } as SweepProjection;
      },
    });
    const other = `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.Compute/virtualMachines/vm-2`;
    const gone = `/subscriptions/${SUB}/resourceGroups/RG-APP/providers/Microsoft.Compute/virtualMachines/vm-gone`;
    const index = rows([
      [VM_ID, 'present', ''],
      [other, 'present', 'item'],
      [gone, 'deleted', ''],
    ]);
    expect(await vmsUnderLock(index, SUB_LOCK)).toEqual([VM_ID, other]);
    expect(await vmsUnderLock(index, RG_LOCK.replace('rg-app', 'RG-App'))).toEqual([VM_ID]);
    expect(await vmsUnderLock(index, `/subscriptions/${SUB}/resourceGroups/AzureBackupRG_westeurope_1/providers/Microsoft.Authorization/locks/rp`)).toEqual([
      other,
    ]);
    expect(await vmsUnderLock(index, VM_LOCK)).toEqual([]);
    expect(lockScope(VM_LOCK)).toEqual({ subscriptionId: SUB, resourceGroup: 'rg-app', onResource: true });
  });

  it("a lock on the VM's group opens its lock finding through the lock's event alone, and its delete resolves it", async () => {
    const services = env.services();
    services.settings.coalesceWindowMs = 1_000;
    services.arm.cache = new ArmReadCache(60_000); // outlives the test: only the lock's event can make it read again
    for (const list of Object.values(cleanInventory())) env.arm().put(...(list as Record<string, unknown>[]));
    const lockRule = async () => (await services.store.readVm(VM_ID)).findings.get('locks.resource-group')?.state ?? 'none';
    const vmEvent = (id: string) => ({
      ...armEvent('ResourceWriteSuccess', VM_ID, 'Microsoft.Compute/virtualMachines/write', id),
      eventTime: new Date().toISOString(),
    });
    await vmChanged(vmEvent('vm-1'), context());
    await drainEventQueue(services, { log: () => {} });
    expect(await lockRule()).toBe('none');

    env.arm().put(lock(RG_LOCK));
    // Control: a VM event alone evaluates with the cached (lock-free) list.
    await vmChanged(vmEvent('vm-2'), context());
    await drainEventQueue(services, { log: () => {} });
    expect(await lockRule()).toBe('none');

    const lockReads = () => env.arm().requests.filter((r) => /\/providers\/microsoft\.authorization\/locks$/i.test(r.path)).length;
    const before = lockReads();
    await vmChanged(lockEvent('write', RG_LOCK, 'lock-w'), context());
    await vmChanged(lockEvent('write', RG_LOCK, 'lock-w2'), context()); // coalesced into the first
    const report = await drainEventQueue(services, { log: () => {} });
    expect(report).toMatchObject({ runs: 1, failed: 0 });
    expect(lockReads() - before).toBe(1);
    expect(await lockRule()).toBe('open');

    env.arm().remove(RG_LOCK);
    await vmChanged(lockEvent('delete', RG_LOCK, 'lock-d'), context());
    await drainEventQueue(services, { log: () => {} });
    expect(await lockRule()).toBe('resolved');
  });

  it('more VMs under a lock than one event evaluates are marked for the drift sweep, each once, without an ARM read', async () => {
    const vmIds = Array.from({ length: LOCK_EVALUATIONS_PER_EVENT + 1 }, (_, i) => `${RG}/providers/Microsoft.Compute/virtualMachines/vm-${i}`);
    const marked: { vmId: string; cause: string; eventId?: string }[] = [];
    const store = {
      async *projections(): AsyncIterable<SweepProjection> {
        for (const vmId of vmIds) yield { rowKey: vmId, vmId, state: 'present', protectedItemId: '', fingerprint: '', lastEvaluatedAt: '' } as SweepProjection;
      },
      markDirty: async (vmId: string, reason: { cause: string; eventId?: string }) => void marked.push({ vmId, cause: reason.cause, eventId: reason.eventId }),
    };
    const services = { store, arm: {}, now: () => new Date() } as unknown as EvaluationServices;
    const outcome = await handleEvent(services, {
      id: 'lock-many',
      type: 'Microsoft.Resources.ResourceWriteSuccess',
      time: new Date().toISOString(),
      hint: { kind: 'lock', lockId: SUB_LOCK },
    });
    expect(outcome).toEqual({ action: 'marked-dirty', vmIds });
    expect(marked.map((m) => m.vmId).sort()).toEqual([...vmIds].sort());
    expect(marked.every((m) => m.cause === SUB_LOCK && m.eventId === 'lock-many')).toBe(true);
  });

  it('a lock on a single resource changes no rule: acknowledged without a read', async () => {
    const services = env.services(); // no window: handled at once
    const before = env.arm().requests.length;
    await vmChanged(lockEvent('write', VM_LOCK, 'lock-vm'), context());
    expect(env.arm().requests.length).toBe(before);
    expect(await services.store.isDirty(VM_ID)).toBe(false);
  });
});
