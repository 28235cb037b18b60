import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { vmChanged } from '../../functions/vmChanged.js';
import { parseEventDelivery } from '../../core/events/eventHints.js';
import { receiveEvent } from '../../core/pipeline/receiveEvent.js';
import { cleanInventory, DATA_DISK_ID, ITEM_ID, NIC_ID, OTHER_SUB, POLICY_ID, SUB, VM_ID, type Json } from '../helpers/cleanVm.js';
import { armEvent, useLiveEnvironment } from '../helpers/liveServices.js';

const env = useLiveEnvironment();
const WRITE = 'Microsoft.Compute/virtualMachines/write';

function context(): InvocationContext & { warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const ctx = new InvocationContext({
    functionName: 'vmChanged',
    invocationId: 'test',
    logHandler: (level, ...args) => void (level === 'warning' && warnings.push(args)),
  });
  return Object.assign(ctx, { warnings });
}
function putInventory(doc: Json): void {
  for (const list of Object.values(doc)) env.arm().put(...(list as Record<string, unknown>[]));
}
const parseOne = async (resourceUri: string, operation = WRITE) => parseEventDelivery(armEvent('ResourceWriteSuccess', resourceUri, operation));

describe('strict event ids', () => {
  it('a VM id must have exactly the ARM form; anything loose is acknowledged with a reason, not thrown', async () => {
    const bad = [
      `${VM_ID}/../vm-other`,
      VM_ID.replace('/vm-app-01', '/vm%2Fapp'),
      `${VM_ID}?api-version=1`,
      `${VM_ID}#x`,
      `${VM_ID}/extensions/x`,
      VM_ID.replace(SUB, 'not-a-guid'),
      VM_ID.replace('/resourceGroups/', '/resourceGroups//'),
      DATA_DISK_ID, // a VM operation on a disk id
      `${VM_ID}\u0000`,
    ];
    for (const id of bad) {
      const { events, rejected } = await parseOne(id);
      expect({ id, events, rejected: rejected.length }).toEqual({ id, events: [], rejected: 1 });
      expect(rejected[0]!.reason).toMatch(/^resourceUri /);
    }
    // Case-insensitive, as ARM compares ids.
    expect((await parseOne(VM_ID.toLowerCase())).events).toHaveLength(1);
    expect((await parseOne(VM_ID.toUpperCase().replace(SUB.toUpperCase(), SUB))).events).toHaveLength(1);
  });

  it('disk, NIC, protected item and policy ids are held to their exact forms too', async () => {
    expect((await parseOne(DATA_DISK_ID, 'Microsoft.Compute/disks/write')).events).toHaveLength(1);
    expect((await parseOne(NIC_ID, 'Microsoft.Network/networkInterfaces/write')).events).toHaveLength(1);
    expect((await parseOne(ITEM_ID, 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write')).events).toHaveLength(1);
    expect((await parseOne(POLICY_ID, 'Microsoft.RecoveryServices/vaults/backupPolicies/write')).events).toHaveLength(1);
    expect((await parseOne(VM_ID, 'Microsoft.Compute/disks/write')).rejected).toHaveLength(1);
    expect(
      (await parseOne(`${ITEM_ID}/../x`, 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write')).rejected,
    ).toHaveLength(1);
    expect((await parseOne(`${POLICY_ID}/extra`, 'Microsoft.RecoveryServices/vaults/backupPolicies/write')).rejected).toHaveLength(1);
    expect((await parseOne(NIC_ID.replace('networkInterfaces', 'publicIPAddresses'), 'Microsoft.Network/networkInterfaces/write')).rejected).toHaveLength(1);
  });

  it('event and correlation ids are bounded before they are stored: a 40,000-character id is evaluated and stored', async () => {
    const services = env.services();
    putInventory(cleanInventory());
    const event = armEvent('ResourceWriteSuccess', VM_ID, WRITE, 'e'.repeat(40_000));
    event.data.correlationId = 'c'.repeat(40_000);
    await vmChanged(event, context());
    const trigger = JSON.parse((await services.store.readVm(VM_ID)).summary!.lastTrigger) as { id: string; correlationId: string };
    expect(trigger.id.length).toBeLessThanOrEqual(128);
    expect(trigger.correlationId.length).toBeLessThanOrEqual(128);
    // Two long ids that share their start stay distinct.
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (end) => (await parseEventDelivery(armEvent('ResourceWriteSuccess', VM_ID, WRITE, `${'e'.repeat(500)}${end}`))).events[0]!.id),
    );
    expect(a).not.toBe(b);
  });

  it('a VM outside SWEEP_SUBSCRIPTIONS is acknowledged without being read', async () => {
    const services = env.services();
    const scoped = { ...services, settings: { ...services.settings, coalesceWindowMs: 0, sweep: { ...services.settings.sweep, subscriptions: [OTHER_SUB] } } };
    const before = env.arm().requests.length;
    const [event] = (await parseEventDelivery(armEvent('ResourceWriteSuccess', VM_ID, WRITE))).events;
    expect(await receiveEvent(scoped, event!)).toEqual({ action: 'nothing', why: 'the resource is outside SWEEP_SUBSCRIPTIONS' });
    expect(env.arm().requests.length).toBe(before);
  });

  it('ARM 400 and 403 on the read are acknowledged and logged with one countable message', async () => {
    for (const status of [400, 403]) {
      env.services();
      putInventory(cleanInventory());
      env.arm().fail('/virtualmachines/vm-app-01', { status, times: Number.POSITIVE_INFINITY });
      const ctx = context();
      await expect(vmChanged(armEvent('ResourceWriteSuccess', VM_ID, WRITE), ctx)).resolves.toBeUndefined();
      expect(ctx.warnings.filter((w) => w[0] === 'event acknowledged: ARM refused the read')).toHaveLength(1);
      env.arm().clearFaults();
    }
  });
});
