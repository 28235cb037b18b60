import { describe, expect, it } from 'vitest';
import { deliverDueAlerts } from '../../core/alerts/deliverAlerts.js';
import { parseAlertDestinations } from '../../core/alerts/destinations.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { vmPartitionKey } from '../../core/store/tableKeys.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { faultPolicy, InjectedFault, storeWithPolicy } from '../helpers/storeProbe.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, vmIdOf, type SyntheticVm } from '../helpers/syntheticFleet.js';

/**
 * The outbox row in the VM's partition is the truth; the pending index entry is how delivery finds it. An intent
 * committed whose entry was never written (the "lost enqueue") must not be lost: it is not due until the index is
 * repaired from the partition, and then it is delivered, once.
 */

const azurite = useAzurite();
const VM: SyntheticVm = { subscription: SUBSCRIPTIONS[0], resourceGroup: 'rg-app', name: 'vm-lost' };
const OTHER: SyntheticVm = { ...VM, name: 'vm-control' };
const FAILS = [{ ruleId: RULE_IDS[0]!, outcome: 'fail' as const, severity: 'error' as const }];
const destinations = parseAlertDestinations(
  JSON.stringify([{ name: 'siem', type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'test-secret-0123456789abcdef' }]),
);

/** A receiver that takes everything, recording the VM ids it was told about (nothing leaves the process). */
function receiver() {
  const vms: string[] = [];
  const fetchImpl = (async (_url: string, init: { body: string }) => {
    vms.push(String(JSON.parse(init.body).vm?.id ?? '').toLowerCase());
    return new Response('', { status: 200 });
  }) as unknown as typeof fetch;
  return { vms, fetchImpl };
}

describe('a lost enqueue (intent committed, its pending index entry missing)', () => {
  it('is not due while the entry is missing; repaired from the partition, it is delivered once', async () => {
    const table = freshTableName();
    const healthy = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    const fault = faultPolicy((r) => /['"]ix\.alert\./.test(r.url + r.body));
    const faulty = storeWithPolicy(azurite.connectionString(), table, fault.policy);
    await applySynthetic(healthy, OTHER, FAILS, at(1));
    await expect(applySynthetic(faulty, VM, FAILS, at(1))).rejects.toBeInstanceOf(InjectedFault);
    const [intent] = (await healthy.readVm(vmIdOf(VM))).outbox;
    expect(intent).toMatchObject({ state: 'pending', nextAttemptAt: at(1) });

    const first = receiver();
    const run1 = await deliverDueAlerts(healthy, destinations, { now: new Date(at(2)), fetch: first.fetchImpl });
    // Only the control's intent was due and sent: the lost one is not seen at all.
    expect(run1).toMatchObject({ due: 1, delivered: 1 });
    expect(first.vms).toEqual([vmIdOf(OTHER).toLowerCase()]);
    expect((await healthy.readVm(vmIdOf(VM))).outbox[0]!.state).toBe('pending');

    // Reconciliation: the VM's index synced from its partition (what its next evaluation or the sweep does).
    await healthy.reindex(vmPartitionKey(vmIdOf(VM)));
    expect((await healthy.dueAlerts(at(3), 10)).map((r) => r.rowKey)).toEqual([intent!.rowKey]);
    const second = receiver();
    expect(await deliverDueAlerts(healthy, destinations, { now: new Date(at(3)), fetch: second.fetchImpl })).toMatchObject({ due: 1, delivered: 1 });
    expect(second.vms).toEqual([vmIdOf(VM).toLowerCase()]);
    expect((await healthy.readVm(vmIdOf(VM))).outbox[0]!.state).toBe('delivered');
    // Delivered once: nothing is due after, and the alert list shows both delivered.
    expect(await healthy.dueAlerts(at(60), 10)).toEqual([]);
    expect((await healthy.alerts('delivered')).map((r) => r.vmId.toLowerCase()).sort()).toEqual(
      [vmIdOf(OTHER), vmIdOf(VM)].map((id) => id.toLowerCase()).sort(),
    );
  });

  it('the next evaluation of the VM is the reconciliation, even when it changes nothing', async () => {
    const table = freshTableName();
    const healthy = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    const faulty = storeWithPolicy(azurite.connectionString(), table, faultPolicy((r) => /['"]ix\.alert\./.test(r.url + r.body)).policy);
    await expect(applySynthetic(faulty, VM, FAILS, at(1))).rejects.toBeInstanceOf(InjectedFault);
    expect(await healthy.dueAlerts(at(2), 10)).toEqual([]);
    const again = await applySynthetic(healthy, VM, FAILS, at(2));
    expect(again.transitions).toEqual([]); // no new intent: the old one is what becomes due
    const due = await healthy.dueAlerts(at(2), 10);
    expect(due).toHaveLength(1);
    expect(due[0]!.createdAt).toBe(at(1));
  });
});
