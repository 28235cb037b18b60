import { describe, expect, it } from 'vitest';
import { fleetSummary } from '../../core/store/findingsReads.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { findingIndexPartition, findingIndexRowKey, findingRowKey, projectionPartition, vmPartitionKey } from '../../core/store/tableKeys.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { keysOf, queryAll } from '../helpers/queryAll.js';
import { faultPolicy, InjectedFault, recordingPolicy, rowExists, storeWithPolicy, touchesIndex } from '../helpers/storeProbe.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, vmIdOf, type Failing, type SyntheticVm } from '../helpers/syntheticFleet.js';

/**
 * The index is derived from each VM's partition after its commit. A crash between the two leaves the partition
 * ahead of the index: queries must not show what the index has not caught up with yet, must never show what the
 * partition does not bear out, and the next evaluation (or a reindex) must bring them together.
 */

const azurite = useAzurite();
const [R1, R2, R3] = RULE_IDS as [string, string, string];
const [SUB_A, SUB_B] = SUBSCRIPTIONS;
const A: SyntheticVm = { subscription: SUB_A, resourceGroup: 'rg-app', name: 'vm-a' };
const B: SyntheticVm = { subscription: SUB_B, resourceGroup: 'rg-app', name: 'vm-b' };
const A_FAILS: Failing[] = [{ ruleId: R1, outcome: 'fail', severity: 'error' }];
const B_FAILS: Failing[] = [
  { ruleId: R1, outcome: 'fail', severity: 'error' },
  { ruleId: R2, outcome: 'fail', severity: 'warning' },
];

function stores(failsWhen = touchesIndex) {
  const table = freshTableName();
  const fault = faultPolicy(failsWhen);
  return {
    table,
    healthy: FindingsStore.connect({ connectionString: azurite.connectionString() }, table),
    faulty: storeWithPolicy(azurite.connectionString(), table, fault.policy),
    fault,
  };
}

/** What every index-backed read path says about the fleet, in one comparable value. */
async function indexedView(store: FindingsStore, now: string) {
  return {
    bySubscriptionB: keysOf(await queryAll(store, { subscription: SUB_B })),
    byRule: keysOf(await queryAll(store, { rule: R1 })),
    bySeverity: keysOf(await queryAll(store, { severity: 'warning' })),
    byName: keysOf(await queryAll(store, { vm: B.name })),
    summary: await fleetSummary(store),
    due: (await store.dueAlerts(now, 100)).map((row) => row.vmId.toLowerCase()).sort(),
  };
}

describe('a crash between the VM partition commit and the index write', () => {
  for (const repair of ['a re-evaluation', 'store.reindex'] as const) {
    it(`leaves the partition ahead of the index until ${repair} repairs it`, async () => {
      const { healthy, faulty, fault } = stores();
      await applySynthetic(healthy, A, A_FAILS, at(1));
      const before = await indexedView(healthy, at(2));

      await expect(applySynthetic(faulty, B, B_FAILS, at(2))).rejects.toBeInstanceOf(InjectedFault);
      expect(fault.failed.length).toBeGreaterThan(0);
      // The partition committed: it is the truth, and it has B's findings and alert intent.
      const stored = await healthy.readVm(vmIdOf(B));
      expect([...stored.findings.keys()].sort()).toEqual([R1, R2]);
      expect(stored.outbox.map((o) => o.state)).toEqual(['pending']);
      // The index has not caught up: no index-backed read shows B yet, and what they say of A is unchanged.
      expect(await indexedView(healthy, at(2))).toEqual(before);
      expect(before.byRule).toEqual([`${vmIdOf(A).toLowerCase()} ${R1} open`]); // the control: A is found
      // A VM read by id goes to its partition, not the index: B's findings are there at once.
      expect(keysOf(await queryAll(healthy, { vm: vmIdOf(B) }))).toHaveLength(2);

      if (repair === 'a re-evaluation') expect((await applySynthetic(healthy, B, B_FAILS, at(3))).transitions).toEqual([]);
      else await healthy.reindex(vmPartitionKey(vmIdOf(B)));
      const after = await indexedView(healthy, at(3));
      const b = vmIdOf(B).toLowerCase();
      expect(after.bySubscriptionB).toEqual([`${b} ${R1} open`, `${b} ${R2} open`]);
      expect(after.byRule).toEqual([`${vmIdOf(A).toLowerCase()} ${R1} open`, `${b} ${R1} open`].sort());
      expect(after.bySeverity).toEqual([`${b} ${R2} open`]);
      expect(after.byName).toEqual(after.bySubscriptionB);
      expect(after.summary.vms.total).toBe(2);
      expect(after.summary.findings.byState.open).toBe(3);
      expect(after.summary.findings.bySeverity).toEqual({ error: 2, warning: 1, info: 0 });
      expect(after.summary.findings.byRule).toEqual({ [R1]: 2, [R2]: 1 });
      // The intent committed at the crash is due now: the very row, not a new one.
      expect(after.due).toEqual([vmIdOf(A).toLowerCase(), b].sort());
      expect((await healthy.dueAlerts(at(3), 100)).find((r) => r.vmId === vmIdOf(B))?.rowKey).toBe(stored.outbox[0]!.rowKey);
    });
  }

  it('a crash half-way through the index write (pointers written, old ones not yet deleted) leaves nothing a query shows wrongly, and the leftovers go', async () => {
    const { healthy, faulty, fault } = stores((r) => r.method === 'DELETE' && touchesIndex(r));
    await applySynthetic(healthy, B, B_FAILS, at(1));
    // R2 passes now: its open pointers should move to the resolved partitions. The deletes of the open ones fail.
    await expect(applySynthetic(faulty, B, [B_FAILS[0]!], at(2))).rejects.toBeInstanceOf(InjectedFault);
    expect(fault.failed.length).toBeGreaterThan(0);
    const b = vmIdOf(B).toLowerCase();
    const openPointer = { partition: findingIndexPartition('open', 'rule', R2), row: findingIndexRowKey(vmPartitionKey(vmIdOf(B)), R2) };
    expect(await rowExists(healthy, openPointer.partition, openPointer.row)).toBe(true);
    // The open pointer is still there, but the finding resolved: confirmed against the partition, it is left out.
    expect(keysOf(await queryAll(healthy, { rule: R2 }))).toEqual([]);
    expect(keysOf(await queryAll(healthy, { rule: R2, state: 'resolved' }))).toEqual([`${b} ${R2} resolved`]);
    expect(await rowExists(healthy, openPointer.partition, openPointer.row)).toBe(false);

    // R2 fails again (reopens): the resolved pointers written at the crash were never recorded by a projection.
    await applySynthetic(healthy, B, B_FAILS, at(3));
    expect(keysOf(await queryAll(healthy, { rule: R2, state: 'resolved' }))).toEqual([]);
    expect(keysOf(await queryAll(healthy, { rule: R2 }))).toEqual([`${b} ${R2} open`]);
    const resolvedPointer = findingIndexPartition('resolved', 'rule', R2);
    expect(await rowExists(healthy, resolvedPointer, openPointer.row)).toBe(false);
    expect((await fleetSummary(healthy)).findings.byState).toEqual({ open: 2, resolved: 0, exempted: 0 });
  });
  it('pointers a crash wrote that no projection records (never read in between) are removed when a query meets them', async () => {
    const { healthy, faulty } = stores((r) => r.method === 'DELETE' && touchesIndex(r));
    await applySynthetic(healthy, B, B_FAILS, at(1));
    await expect(applySynthetic(faulty, B, [B_FAILS[0]!], at(2))).rejects.toBeInstanceOf(InjectedFault);
    // Reopened before anything read the index: the resolved pointers of the crash are recorded nowhere.
    await applySynthetic(healthy, B, B_FAILS, at(3));
    const orphan = { partition: findingIndexPartition('resolved', 'rule', R2), row: findingIndexRowKey(vmPartitionKey(vmIdOf(B)), R2) };
    expect(await rowExists(healthy, orphan.partition, orphan.row)).toBe(true);
    expect(keysOf(await queryAll(healthy, { rule: R2, state: 'resolved' }))).toEqual([]);
    expect(await rowExists(healthy, orphan.partition, orphan.row)).toBe(false);
    // The VM's true pointers were rewritten, not lost with it.
    expect(keysOf(await queryAll(healthy, { rule: R2 }))).toEqual([`${vmIdOf(B).toLowerCase()} ${R2} open`]);
    expect(keysOf(await queryAll(healthy, { subscription: SUB_B }))).toHaveLength(2);
  });
});

describe('a stale pointer (an index entry the partition does not bear out)', () => {
  it('is left out of query answers and removed; true pointers stay', async () => {
    const { healthy } = stores();
    await applySynthetic(healthy, A, A_FAILS, at(1));
    const vmKey = vmPartitionKey(vmIdOf(A));
    const ghostVm = vmPartitionKey(vmIdOf({ ...A, name: 'vm-never-stored' }));
    const pointer = (partitionKey: string, onVm: string, ruleId: string) => ({
      partitionKey,
      rowKey: findingIndexRowKey(onVm, ruleId),
      vmKey: onVm,
      findingRowKey: findingRowKey(ruleId),
      ruleId,
      severity: 'error',
      outcome: 'fail',
      subscriptionId: SUB_A,
      resourceGroup: 'rg-app',
    });
    const stale = [
      pointer(findingIndexPartition('open', 'rule', R3), vmKey, R3), // A has no finding for R3
      pointer(findingIndexPartition('open', 'rule', R1), ghostVm, R1), // no such VM at all
      pointer(findingIndexPartition('resolved', 'rule', R1), vmKey, R1), // A's R1 is open, not resolved
      { ...pointer(findingIndexPartition('open', 'sev', 'warning'), vmKey, R1), severity: 'warning' }, // A's R1 is an error
    ];
    for (const entity of stale) await healthy.table.upsertEntity(entity, 'Replace');
    const a = vmIdOf(A).toLowerCase();
    expect(keysOf(await queryAll(healthy, { rule: R3 }))).toEqual([]);
    expect(keysOf(await queryAll(healthy, { rule: R1 }))).toEqual([`${a} ${R1} open`]);
    expect(keysOf(await queryAll(healthy, { rule: R1, state: 'resolved' }))).toEqual([]);
    expect(keysOf(await queryAll(healthy, { severity: 'warning' }))).toEqual([]);
    for (const entity of stale) expect(await rowExists(healthy, entity.partitionKey, entity.rowKey), entity.partitionKey).toBe(false);
    // The control: the true pointers are still there, and still answer.
    expect(await rowExists(healthy, findingIndexPartition('open', 'rule', R1), findingIndexRowKey(vmKey, R1))).toBe(true);
    expect(keysOf(await queryAll(healthy, { severity: 'error' }))).toEqual([`${a} ${R1} open`]);
    expect(await rowExists(healthy, projectionPartition(SUB_A), vmKey)).toBe(true);
  });

  it('a stale alert pointer is not due, is not listed, and is removed', async () => {
    const { healthy } = stores();
    await applySynthetic(healthy, A, A_FAILS, at(1));
    const [intent] = await healthy.dueAlerts(at(1), 10);
    const delivered = await healthy.saveAlert({ ...intent!, state: 'delivered' });
    expect(delivered).not.toBeNull();
    // A pending pointer to the intent that is now delivered, and one to an intent that never existed.
    const ghost = {
      partitionKey: 'ix.alert.pending',
      rowKey: `${at(1)}|${intent!.partitionKey}|outbox|ghost`,
      vmKey: intent!.partitionKey,
      outboxRowKey: 'outbox|ghost',
    };
    const old = {
      partitionKey: 'ix.alert.pending',
      rowKey: `${at(1)}|${intent!.partitionKey}|${intent!.rowKey}`,
      vmKey: intent!.partitionKey,
      outboxRowKey: intent!.rowKey,
    };
    for (const entity of [ghost, old]) await healthy.table.upsertEntity(entity, 'Replace');
    expect(await healthy.dueAlerts(at(5), 10)).toEqual([]);
    expect((await healthy.alerts('pending')).length).toBe(0);
    for (const entity of [ghost, old]) expect(await rowExists(healthy, entity.partitionKey, entity.rowKey)).toBe(false);
    // The control: the delivered one is listed as delivered.
    expect((await healthy.alerts('delivered')).map((r) => r.rowKey)).toEqual([intent!.rowKey]);
  });
});

describe('registering a subscription for the sweep', () => {
  it('is written by the first new VM of a subscription, not by the next ones (its aggregate shows it is listed)', async () => {
    const recorder = recordingPolicy();
    const store = storeWithPolicy(azurite.connectionString(), freshTableName(), recorder.policy);
    const registrations = () => recorder.requests.filter((r) => r.method !== 'GET' && r.url.includes("PartitionKey='ix.subs'")).length;
    await applySynthetic(store, A, A_FAILS, at(1));
    expect(registrations()).toBe(1);
    await applySynthetic(store, { ...A, name: 'vm-a2' }, A_FAILS, at(1));
    await applySynthetic(store, { ...A, name: 'vm-a3' }, A_FAILS, at(1));
    expect(registrations()).toBe(1);
    // Another subscription has no aggregate yet: it is registered.
    await applySynthetic(store, B, B_FAILS, at(1));
    expect(registrations()).toBe(2);
    expect((await store.subscriptions()).sort()).toEqual([SUB_A.toLowerCase(), SUB_B.toLowerCase()].sort());
  });
});

describe('a crash before the projection commit of a VM seen for the first time', () => {
  it('still leaves its subscription listed, so the sweep reaches the VM', async () => {
    // Fail only the projection's write (a batch into `ix.vm.<subscription>`), after the pointers were written.
    const { healthy, faulty, fault } = stores((r) => r.method !== 'GET' && /ix\.vm\./.test(r.body));
    await expect(applySynthetic(faulty, B, B_FAILS, at(1))).rejects.toBeInstanceOf(InjectedFault);
    expect(fault.failed.length).toBeGreaterThan(0);
    // Registered before the projection: the subscription is listed although its projection is not written yet.
    expect(await healthy.subscriptions()).toContain(SUB_B.toLowerCase());
    expect(await rowExists(healthy, projectionPartition(SUB_B.toLowerCase()), vmPartitionKey(vmIdOf(B)))).toBe(false);
    // The next evaluation writes the projection; the registration is not repeated.
    await applySynthetic(healthy, B, B_FAILS, at(2));
    expect(await rowExists(healthy, projectionPartition(SUB_B.toLowerCase()), vmPartitionKey(vmIdOf(B)))).toBe(true);
    expect(await healthy.subscriptions()).toEqual([SUB_B.toLowerCase()]);
  });
});

describe('a store written when each finding also had a pointer per subscription', () => {
  it("loses those pointers at each VM's next sync, since its projection recorded them", async () => {
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
    await applySynthetic(store, A, A_FAILS, at(1));
    // What the earlier layout wrote: `ix.find.<state>.sub.<subscription>`, recorded in the projection's keys.
    const vmKey = vmPartitionKey(vmIdOf(A));
    const old = { partitionKey: `ix.find.open.sub.${SUB_A}`, rowKey: findingIndexRowKey(vmKey, R1) };
    await store.table.upsertEntity({ ...old, vmKey, findingRowKey: findingRowKey(R1), ruleId: R1, severity: 'error', outcome: 'fail' }, 'Replace');
    const projection = await store.table.getEntity<{ indexKeys: string }>(projectionPartition(SUB_A), vmKey);
    const recorded = { ...(JSON.parse(projection.indexKeys) as Record<string, string>), [`${old.partitionKey}\n${old.rowKey}`]: 'earlier' };
    await store.table.updateEntity({ partitionKey: projectionPartition(SUB_A), rowKey: vmKey, indexKeys: JSON.stringify(recorded) }, 'Merge');
    expect(await rowExists(store, old.partitionKey, old.rowKey)).toBe(true);

    await applySynthetic(store, A, A_FAILS, at(2));
    expect(await rowExists(store, old.partitionKey, old.rowKey)).toBe(false);
    const after = await store.table.getEntity<{ indexKeys: string }>(projectionPartition(SUB_A), vmKey);
    expect(Object.keys(JSON.parse(after.indexKeys) as Record<string, string>).some((key) => key.startsWith('ix.find.open.sub.'))).toBe(false);
    expect(keysOf(await queryAll(store, { subscription: SUB_A }))).toEqual(keysOf(await queryAll(store, { rule: R1 })));
  });
});
