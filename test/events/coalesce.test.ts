import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { vmChanged } from '../../functions/vmChanged.js';
import { coalesceEvent, isPending, releaseMark } from '../../core/events/coalesce.js';
import type { ParsedEvent } from '../../core/events/eventHints.js';
import { parseCoalescedMessage, type CoalescedMessage, type EventQueue } from '../../core/events/eventQueue.js';
import { ArmReadCache } from '../../core/inventory/arm/armReadCache.js';
import { idKey } from '../../core/armModel/armId.js';
import { cleanInventory, DATA_DISK_ID, NIC_ID, OS_DISK_ID, POLICY_ID, VM_ID, type Json } from '../helpers/cleanVm.js';
import { drainEventQueue } from '../helpers/eventQueue.js';
import { armEvent, useLiveEnvironment } from '../helpers/liveServices.js';

const env = useLiveEnvironment();

/** Services that coalesce (a 1 s window keeps the test short) with a cache that outlives the test. */
function coalescingServices(windowMs = 1_000) {
  const services = env.services();
  services.settings.coalesceWindowMs = windowMs;
  services.arm.cache = new ArmReadCache(60_000);
  return services;
}

function putInventory(doc: Json): void {
  for (const list of Object.values(doc)) env.arm().put(...(list as Record<string, unknown>[]));
}

const context = () => new InvocationContext({ functionName: 'vmChanged', logHandler: () => {} });
/** An event stamped now (the fixtures' events carry a fixed time). */
const event = (type: string, id: string, operation: string) => ({ ...armEvent(type, id, operation), eventTime: new Date().toISOString() });
const vmWrite = () => event('ResourceWriteSuccess', VM_ID, 'Microsoft.Compute/virtualMachines/write');
/** What a VM create or update emits: the VM several times, its disks, its NIC, an extension. */
const burst = () => [
  ...Array.from({ length: 6 }, vmWrite),
  event('ResourceWriteSuccess', OS_DISK_ID, 'Microsoft.Compute/disks/write'),
  event('ResourceWriteSuccess', DATA_DISK_ID, 'Microsoft.Compute/disks/write'),
  event('ResourceWriteSuccess', NIC_ID, 'Microsoft.Network/networkInterfaces/write'),
  event('ResourceActionSuccess', VM_ID, 'Microsoft.Compute/virtualMachines/start/action'),
];
/** GETs of the VM itself: one per evaluation. */
const vmReads = () => env.arm().requests.filter((r) => r.method === 'GET' && idKey(r.path) === idKey(VM_ID)).length;
const history = async (services: ReturnType<typeof env.services>) => JSON.parse((await services.store.readVm(VM_ID)).summary!.history) as Json[];

describe('event coalescing', () => {
  it('a burst of events for one VM is one evaluation and one history entry; its disk and NIC writes add nothing', async () => {
    const services = coalescingServices();
    putInventory(cleanInventory());
    const before = vmReads();
    for (const e of burst()) await vmChanged(e, context());
    expect(vmReads() - before).toBe(0); // nothing is read before the window ends
    const report = await drainEventQueue(services);
    expect(report).toMatchObject({ runs: 4, failed: 0, poisoned: 0 }); // the VM, two disks, the NIC: one message each
    expect(vmReads() - before).toBe(1);
    expect(await history(services)).toHaveLength(1);
    expect(await services.store.isDirty(VM_ID)).toBe(false);
  });

  it('control: without a window the same burst is evaluated once per VM event, and its disk writes mark the VM dirty', async () => {
    const services = env.services(); // settings built by hand: no window, events handled inline
    putInventory(cleanInventory());
    const before = vmReads();
    // Disk and NIC writes handled before any evaluation of the VM are not covered by one.
    const events = burst();
    for (const e of [...events.slice(6, 9), ...events.slice(0, 6), ...events.slice(9)]) await vmChanged(e, context());
    expect(vmReads() - before).toBe(7);
    expect(await services.store.isDirty(VM_ID)).toBe(true);
  });

  /** The VM stored once, then a window of writes, with or without its delete among them. */
  async function windowOfWrites(withDelete: boolean) {
    const services = coalescingServices();
    putInventory(cleanInventory());
    await vmChanged(vmWrite(), context());
    await drainEventQueue(services);
    const before = vmReads();
    await vmChanged(vmWrite(), context());
    if (withDelete) {
      env.arm().remove(VM_ID);
      await vmChanged(event('ResourceDeleteSuccess', VM_ID, 'Microsoft.Compute/virtualMachines/delete'), context());
    }
    await vmChanged(vmWrite(), context()); // a late write event, after the delete
    await drainEventQueue(services);
    return { state: (await services.store.readVm(VM_ID)).summary!.state, evaluations: vmReads() - before };
  }

  it('a delete inside a window of writes ends with the VM deleted, in the one evaluation of the window', async () => {
    expect(await windowOfWrites(true)).toEqual({ state: 'deleted', evaluations: 1 });
  });

  it('control: the same window without the delete leaves the VM present', async () => {
    expect(await windowOfWrites(false)).toEqual({ state: 'present', evaluations: 1 });
  });

  it('a policy change is seen by the next evaluation of its VMs: its event drops the cached policy', async () => {
    const services = coalescingServices();
    putInventory(cleanInventory());
    const dst = async () => (await services.store.readVm(VM_ID)).findings.get('policy.daylight-saving')?.state ?? 'none';
    await vmChanged(vmWrite(), context());
    await drainEventQueue(services);
    expect(await dst()).toBe('none');
    const policy = cleanInventory().policies[0];
    policy.properties.timeZone = 'Pacific Standard Time';
    env.arm().put(policy);
    // Control: without the policy's event, the cached policy still holds (the cache is in effect).
    await vmChanged(vmWrite(), context());
    await drainEventQueue(services);
    expect(await dst()).toBe('none');
    await vmChanged(event('ResourceWriteSuccess', POLICY_ID, 'Microsoft.RecoveryServices/vaults/backupPolicies/write'), context());
    await vmChanged(vmWrite(), context());
    await drainEventQueue(services);
    expect(await dst()).toBe('open');
  });

  it('ARM throttling (429 with Retry-After) beyond the SDK retries fails the message, and its retry stores the VM', async () => {
    const services = coalescingServices();
    putInventory(cleanInventory());
    // The SDK tries 3 times (liveServices: maxRetries 2); the 4th 429 reaches the worker, the host retries it.
    env.arm().fail('/virtualmachines/vm-app-01', { status: 429, headers: { 'retry-after': '0' }, times: 4 });
    for (const e of burst()) await vmChanged(e, context());
    const report = await drainEventQueue(services);
    env.arm().clearFaults();
    expect(report).toMatchObject({ failed: 1, poisoned: 0 });
    expect((await services.store.readVm(VM_ID)).summary!.state).toBe('present');
  });

  it('control: throttling that never ends poisons the message (kept, not lost) and stores nothing', async () => {
    const services = coalescingServices();
    putInventory(cleanInventory());
    env.arm().fail('/virtualmachines/vm-app-01', { status: 429, headers: { 'retry-after': '0' }, times: Number.POSITIVE_INFINITY });
    await vmChanged(vmWrite(), context());
    const report = await drainEventQueue(services);
    env.arm().clearFaults();
    expect(report).toMatchObject({ succeeded: 0, poisoned: 1 });
    expect((await services.store.readVm(VM_ID)).summary).toBeNull();
  });
});

describe('releasing a mark', () => {
  /** A queue that keeps what is sent (base64 JSON, as the host reads it). */
  const keepingQueue = () => {
    const sent: CoalescedMessage[] = [];
    const queue: EventQueue = {
      queue: null as never,
      send: async (text: string) => void sent.push(parseCoalescedMessage(JSON.parse(Buffer.from(text, 'base64').toString('utf8')))!),
    };
    return { sent, queue };
  };
  const vmEvent = (id: string): ParsedEvent => ({
    id,
    type: 'Microsoft.Resources.ResourceWriteSuccess',
    time: new Date().toISOString(),
    hint: { kind: 'vm', vmId: VM_ID },
  });
  /** Counts the table's requests by method. */
  const counting = (services: ReturnType<typeof env.services>) => {
    const seen: string[] = [];
    services.store.table.pipeline.addPolicy({ name: 'count', sendRequest: (request, next) => (seen.push(request.method), next(request)) });
    return seen;
  };

  it('the message carries the mark ETag, and the release is one conditional delete', async () => {
    const services = env.services();
    const { sent, queue } = keepingQueue();
    await coalesceEvent(services.store.table, queue, vmEvent('e1'), 1_000, new Date());
    expect(sent[0]!.markEtag).toMatch(/\S/);
    const seen = counting(services);
    await releaseMark(services.store.table, sent[0]!);
    expect(seen).toEqual(['DELETE']);
    expect(await isPending(services.store.table, VM_ID)).toBe(false);
  });

  it('a mark replaced by a later message (another ETag) is left standing', async () => {
    const services = env.services();
    const { sent, queue } = keepingQueue();
    const at = new Date();
    await coalesceEvent(services.store.table, queue, vmEvent('e1'), 1_000, at);
    // The first message was lost: long after its due time the next event replaces the orphaned mark.
    await coalesceEvent(services.store.table, queue, vmEvent('e2'), 1_000, new Date(at.getTime() + 60 * 60_000));
    expect(sent).toHaveLength(2);
    await releaseMark(services.store.table, sent[0]!);
    expect(await isPending(services.store.table, VM_ID)).toBe(true);
    await releaseMark(services.store.table, sent[1]!);
    expect(await isPending(services.store.table, VM_ID)).toBe(false);
  });

  it('control: a message from before the ETag (markId only) is released by a read and a delete', async () => {
    const services = env.services();
    const { sent, queue } = keepingQueue();
    await coalesceEvent(services.store.table, queue, vmEvent('e1'), 1_000, new Date());
    const { markEtag: _dropped, ...older } = sent[0]!;
    const seen = counting(services);
    await releaseMark(services.store.table, older);
    expect(seen).toEqual(['GET', 'DELETE']);
    expect(await isPending(services.store.table, VM_ID)).toBe(false);
  });
});
