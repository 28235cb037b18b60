import { InvocationContext } from '@azure/functions';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vmChanged } from '../../functions/vmChanged.js';
import { cleanInventory, DATA_DISK_ID, ITEM_ID, NIC_ID, POLICY_ID, VM_ID, type Json } from '../helpers/cleanVm.js';
import { armEvent, useLiveEnvironment } from '../helpers/liveServices.js';

const env = useLiveEnvironment();

/** Puts every resource of an inventory document into the fake ARM (as the SDK would find them). */
function putInventory(doc: Json): void {
  const arm = env.arm();
  for (const list of Object.values(doc)) arm.put(...(list as Record<string, unknown>[]));
}

function brokenVm(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  return doc;
}

function context(): InvocationContext & { warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const ctx = new InvocationContext({
    functionName: 'vmChanged',
    invocationId: 'test',
    logHandler: (level, ...args) => void (level === 'warning' && warnings.push(args)),
  });
  return Object.assign(ctx, { warnings });
}

const vmWrite = (id?: string) => armEvent('ResourceWriteSuccess', VM_ID, 'Microsoft.Compute/virtualMachines/write', id);
const openRules = async (services: ReturnType<typeof env.services>) =>
  [...(await services.store.readVm(VM_ID)).findings.values()]
    .filter((f) => f.state === 'open')
    .map((f) => f.ruleId)
    .sort();

describe('vmChanged', () => {
  it('a ResourceWriteSuccess for a VM re-reads it from ARM and stores its findings', async () => {
    const services = env.services();
    putInventory(brokenVm());
    await vmChanged(vmWrite(), context());
    expect(await openRules(services)).toEqual(['compute.min-size']);
    const { summary } = await services.store.readVm(VM_ID);
    expect(JSON.parse(summary!.lastTrigger)).toMatchObject({ kind: 'event' });
    expect(summary!.protectedItemId).toBe(ITEM_ID.toLowerCase());
  });

  it('a ResourceActionSuccess for a power action (deallocate) re-evaluates the VM', async () => {
    const services = env.services();
    const doc = cleanInventory();
    doc.virtualMachines[0].properties.instanceView.statuses[1] = { code: 'PowerState/deallocated' };
    putInventory(doc);
    await vmChanged(armEvent('ResourceActionSuccess', VM_ID, 'Microsoft.Compute/virtualMachines/deallocate/action'), context());
    expect(await openRules(services)).toEqual(['consistency.vm-not-running']);
  });

  it('accepts the CloudEvents 1.0 schema', async () => {
    const services = env.services();
    putInventory(brokenVm());
    const eg = vmWrite();
    const cloudEvent = { specversion: '1.0', type: eg.eventType, source: eg.topic, subject: eg.subject, id: eg.id, time: eg.eventTime, data: eg.data };
    await vmChanged(cloudEvent, context());
    expect(await openRules(services)).toEqual(['compute.min-size']);
  });

  it('duplicate deliveries and out-of-order events leave the state the latest read implies', async () => {
    const services = env.services();
    putInventory(brokenVm());
    const first = vmWrite('dup-1');
    await vmChanged(first, context());
    putInventory(cleanInventory()); // the VM was fixed; its event is delivered first...
    await vmChanged(vmWrite('fix-2'), context());
    await vmChanged(first, context()); // ...and the old event again, late: it re-reads the fixed VM
    expect(await openRules(services)).toEqual([]);
    const history = JSON.parse((await services.store.readVm(VM_ID)).summary!.history);
    expect(history.map((h: Json) => [h.opened, h.resolved])).toEqual([
      [['compute.min-size'], []],
      [[], ['compute.min-size']],
    ]);
  });

  it('a deleted VM (delete event, or 404 on read) resolves its findings as vm-deleted', async () => {
    const services = env.services();
    putInventory(brokenVm());
    await vmChanged(vmWrite(), context());
    env.arm().remove(VM_ID);
    await vmChanged(armEvent('ResourceDeleteSuccess', VM_ID, 'Microsoft.Compute/virtualMachines/delete'), context());
    const stored = await services.store.readVm(VM_ID);
    expect(stored.summary!.state).toBe('deleted');
    expect(stored.findings.get('compute.min-size')).toMatchObject({ state: 'resolved', resolvedReason: 'vm-deleted' });
  });

  it('ARM throttling (429 with Retry-After) is retried by the SDK and the event succeeds', async () => {
    const services = env.services();
    putInventory(brokenVm());
    env.arm().fail('/virtualmachines/vm-app-01', { status: 429, headers: { 'retry-after': '0' }, times: 2 });
    await vmChanged(vmWrite(), context());
    expect(await openRules(services)).toEqual(['compute.min-size']);
  });

  it('ARM 500 throughout: the handler throws (Event Grid retries) and nothing is written', async () => {
    const services = env.services();
    putInventory(brokenVm());
    // The disk is read through its group's list (a cached ARM read) or by id: both fail.
    env.arm().fail('/microsoft.compute/disks', { status: 500, times: Number.POSITIVE_INFINITY });
    await expect(vmChanged(vmWrite(), context())).rejects.toThrow();
    expect(await services.store.readVm(VM_ID)).toEqual({ summary: null, findings: new Map(), outbox: [] });
    env.arm().clearFaults();
  });

  it('locks it may not read make the lock rule unknown, not a pass', async () => {
    const services = env.services();
    putInventory(cleanInventory());
    env.arm().fail('/providers/microsoft.authorization/locks', { status: 403, times: 1 });
    await vmChanged(vmWrite(), context());
    expect((await services.store.readVm(VM_ID)).findings.get('locks.resource-group')).toMatchObject({ state: 'open', outcome: 'unknown' });
    env.arm().clearFaults();
  });

  it('acknowledges permanently bad events with a logged reason, without throwing', async () => {
    env.services();
    const eg = vmWrite();
    const stringData = { ...eg, data: JSON.stringify(eg.data) }; // 2017-style: data as a JSON string
    const cloudEventMissingId = { specversion: '1.0', type: eg.eventType, source: eg.topic, data: eg.data };
    const cases: unknown[] = [
      '{ not json',
      cloudEventMissingId,
      { ...eg, eventType: 'Microsoft.Storage.BlobCreated' },
      armEvent(
        'ResourceWriteSuccess',
        '/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z',
        'Microsoft.Storage/storageAccounts/write',
      ),
      { ...eg, data: { operationName: 'Microsoft.Compute/virtualMachines/write' } },
    ];
    for (const bad of cases) {
      const ctx = context();
      await expect(vmChanged(bad, ctx)).resolves.toBeUndefined();
      expect(ctx.warnings.length, JSON.stringify(bad).slice(0, 80)).toBe(1);
    }
    // String-valued data is still a valid event: it is handled, not rejected.
    putInventory(brokenVm());
    const ctx = context();
    await vmChanged(stringData, ctx);
    expect(ctx.warnings).toEqual([]);
  });

  it('a disk or NIC write marks its VM dirty for the drift sweep', async () => {
    const services = env.services();
    const doc = brokenVm();
    doc.disks[1].managedBy = VM_ID;
    putInventory(doc);
    expect(await services.store.isDirty(VM_ID)).toBe(false);
    await vmChanged(armEvent('ResourceWriteSuccess', DATA_DISK_ID, 'Microsoft.Compute/disks/write'), context());
    expect(await services.store.isDirty(VM_ID)).toBe(true);
    const other = env.services();
    await vmChanged(armEvent('ResourceWriteSuccess', NIC_ID, 'Microsoft.Network/networkInterfaces/write'), context());
    expect(await other.store.isDirty(VM_ID)).toBe(true);
  });

  it('protected item writes and deletes re-evaluate the VM; a policy write marks the policy dirty (one row, whatever its VMs)', async () => {
    const services = env.services();
    putInventory(brokenVm());
    await vmChanged(
      armEvent('ResourceWriteSuccess', ITEM_ID, 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write'),
      context(),
    );
    expect((await services.store.readVm(VM_ID)).summary!.policyId).toBe(POLICY_ID.toLowerCase());
    env.arm().remove(ITEM_ID);
    await vmChanged(
      armEvent('ResourceDeleteSuccess', ITEM_ID, 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete'),
      context(),
    );
    expect((await services.store.readVm(VM_ID)).summary!.protectedItemId).toBe('');
    putInventory(cleanInventory());
    await vmChanged(vmWrite(), context());
    const before = (await services.store.dirtyMarks()).size;
    await vmChanged(armEvent('ResourceWriteSuccess', POLICY_ID, 'Microsoft.RecoveryServices/vaults/backupPolicies/write'), context());
    const marks = [...(await services.store.dirtyMarks()).values()];
    expect(marks.length).toBe(before + 1);
    expect(marks.map((m) => m.policyId)).toContain(POLICY_ID);
    expect(await services.store.isDirty(VM_ID)).toBe(false);
  });

  it('concurrent events for one VM all land, and the stored counts match the rows', async () => {
    const services = env.services();
    putInventory(brokenVm());
    await Promise.all(Array.from({ length: 6 }, () => vmChanged(vmWrite(), context())));
    const stored = await services.store.readVm(VM_ID);
    expect(stored.summary!.openErrors).toBe(1);
    expect(await openRules(services)).toEqual(['compute.min-size']);
  });

  it('handles the real fixture event shapes', async () => {
    env.services();
    const fixture = JSON.parse(
      readFileSync(new URL('../fixtures/eventgrid/arm_subscription_ResourceWriteSuccess.eventgridschema.json', import.meta.url), 'utf8'),
    );
    const ctx = context();
    await vmChanged(fixture[0], ctx);
    expect(JSON.stringify(ctx.warnings[0])).toMatch(/Microsoft\.Storage\/storageAccounts\/write is not handled/);
  });
});
