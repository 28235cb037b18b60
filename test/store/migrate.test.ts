import { describe, expect, it } from 'vitest';
import { fleetSummary } from '../../core/store/findingsReads.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { migrateStore } from '../../core/store/migrate.js';
import { LEGACY_DIRTY_ROW, META_PARTITION, vmPartitionKey } from '../../core/store/tableKeys.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { keysOf, queryAll } from '../helpers/queryAll.js';
import { toOldLayout } from '../helpers/oldLayout.js';
import { recordingPolicy, storeWithPolicy } from '../helpers/storeProbe.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, vmIdOf, type Failing, type SyntheticVm } from '../helpers/syntheticFleet.js';

/**
 * A store written before the index layout: VM partitions only (summary `vm`, `finding|<rule>`, `outbox|…`) and dirty
 * marks as a `dirty` row of the VM's own partition. The VM partitions of both layouts are the same rows, so such a
 * store is made by writing through today's path and removing every index row; then the old dirty rows are added.
 */

const azurite = useAzurite();
const [R1, R2, R3] = RULE_IDS as [string, string, string];
const [S1, S2] = SUBSCRIPTIONS;
const POLICY = `/subscriptions/${S1}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv/backupPolicies/daily`;
const fail = (ruleId: string, severity: Failing['severity'] = 'error', outcome: Failing['outcome'] = 'fail'): Failing => ({ ruleId, outcome, severity });
const FLEET: { vm: SyntheticVm; failing: Failing[] }[] = [
  { vm: { subscription: S1, resourceGroup: 'rg-app', name: 'vm-1' }, failing: [fail(R1), fail(R2, 'warning')] },
  { vm: { subscription: S1, resourceGroup: 'rg-data', name: 'vm-2' }, failing: [fail(R3, 'info', 'unknown')] },
  { vm: { subscription: S2, resourceGroup: 'rg-app', name: 'vm-1' }, failing: [fail(R1)] },
  { vm: { subscription: S2, resourceGroup: 'rg-data', name: 'vm-3' }, failing: [fail(R2, 'warning'), fail(R3)] },
  { vm: { subscription: S2, resourceGroup: 'rg-data', name: 'vm-4' }, failing: [] },
];
const NEVER_EVALUATED = vmIdOf({ subscription: S2, resourceGroup: 'rg-data', name: 'vm-new' });
const LATER = at(500);

/** A store as the previous layout left it; returns it with the answers the current layout gave before. */
async function oldLayoutStore() {
  const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
  for (const [i, { vm, failing }] of FLEET.entries())
    await applySynthetic(store, vm, failing, at(i), { links: { protectedItemId: null, policyId: i % 2 === 0 ? POLICY : null }, fingerprint: `fp-${i}` });
  // History: vm-1 (S1) resolves R2, vm-3's first intent is delivered, vm-4 is deleted.
  await applySynthetic(store, FLEET[0]!.vm, [fail(R1)], at(10));
  const [delivered] = (await store.dueAlerts(at(11), 100)).filter((r) => r.vmName === 'vm-3');
  await store.saveAlert({ ...delivered!, state: 'delivered' });
  await store.applyDeletion(vmIdOf(FLEET[4]!.vm), { observedAt: at(12), trigger: { kind: 'event' }, now: at(12) });
  const expected = await answers(store);

  const legacyDirty = [vmIdOf(FLEET[1]!.vm), NEVER_EVALUATED];
  await toOldLayout(
    store,
    legacyDirty.map((vmId) => ({ vmId, at: at(13) })),
  );
  // The oldest summaries had no links or fingerprint (the row schema defaults them): one such row.
  const oldest = vmPartitionKey(vmIdOf(FLEET[3]!.vm));
  const {
    etag: _etag,
    fingerprint: _fp,
    protectedItemId: _item,
    policyId: _policy,
    ...bare
  } = await store.table.getEntity<Record<string, unknown>>(oldest, 'vm');
  await store.table.upsertEntity({ ...bare, partitionKey: oldest, rowKey: 'vm' }, 'Replace');
  (expected.projections as string[]).splice((expected.projections as string[]).indexOf(`${oldest} fp-3`), 1, `${oldest} `);
  return { store, expected, legacyDirty };
}

async function answers(store: FindingsStore) {
  const projections: string[] = [];
  for (const sub of [S1, S2]) for await (const p of store.index.projections(sub)) projections.push(`${p.rowKey} ${p.fingerprint}`);
  return {
    open: keysOf(await queryAll(store, {})),
    all: keysOf(await queryAll(store, { state: 'all' }, 3)),
    bySubscription: keysOf(await queryAll(store, { subscription: S2, state: 'all' })),
    byRule: keysOf(await queryAll(store, { rule: R1, state: 'all' })),
    bySeverity: keysOf(await queryAll(store, { severity: 'warning', state: 'all' })),
    byResourceGroup: keysOf(await queryAll(store, { resourceGroup: 'rg-data' })),
    byName: keysOf(await queryAll(store, { vm: 'VM-1', state: 'all' })),
    summary: await fleetSummary(store),
    summaryS1: await fleetSummary(store, { subscription: S1 }),
    alerts: (await store.alerts('all')).map((r) => `${r.partitionKey} ${r.rowKey} ${r.state}`).sort(),
    due: (await store.dueAlerts(LATER, 100)).map((r) => r.rowKey).sort(),
    linked: (await store.vmsLinkedTo({ policyId: POLICY })).map((id) => id.toLowerCase()).sort(),
    projections: projections.sort(),
  };
}

async function dirtyVmIds(store: FindingsStore): Promise<string[]> {
  return [...(await store.dirtyMarks()).values()].map((m) => m.vmId).sort();
}

describe('migrateStore', () => {
  it('brings an old-layout store to the index layout: every answer as before, dirty marks moved', async () => {
    const { store, expected, legacyDirty } = await oldLayoutStore();
    // The control: before migration the VM partitions read fine, but nothing index-backed answers.
    expect((await store.readVm(vmIdOf(FLEET[0]!.vm))).findings.size).toBe(2);
    const unmigrated = await answers(store);
    expect(unmigrated.open).toEqual([]);
    expect(unmigrated.summary.vms.total).toBe(0);
    expect(unmigrated.alerts).toEqual([]);
    expect(await dirtyVmIds(store)).toEqual([]);

    const report = await migrateStore(store);
    expect(report).toMatchObject({ vms: FLEET.length, dirtyMarks: 2, complete: true, alreadyDone: false, resumedAfter: null });
    expect(await answers(store)).toEqual(expected);
    expect(expected.open.length).toBeGreaterThan(3);
    expect(await dirtyVmIds(store)).toEqual([...legacyDirty].sort());
    expect(await store.isDirty(NEVER_EVALUATED)).toBe(true);
    for (const vmId of legacyDirty) expect(await store.index.getRow(vmPartitionKey(vmId), LEGACY_DIRTY_ROW, { parse: (r) => r })).toBeNull();
  });

  it('a second run changes nothing, and neither does a --restart run', async () => {
    const { store, expected } = await oldLayoutStore();
    await migrateStore(store);
    const recorder = recordingPolicy();
    const watched = storeWithPolicy(azurite.connectionString(), store.table.tableName, recorder.policy);
    expect(await migrateStore(watched)).toMatchObject({ alreadyDone: true, vms: 0, complete: true });
    expect(recorder.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    expect(await migrateStore(watched, { restart: true })).toMatchObject({ alreadyDone: false, vms: FLEET.length, dirtyMarks: 0, complete: true });
    // Only its own progress row is written: every VM's index already agreed with its partition.
    // (Creating the table if missing is not a write to it: the table exists, and the service says so.)
    const writes = recorder.requests.filter((r) => r.method !== 'GET' && !/\/Tables$/.test(r.url));
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(w.url, w.url).toContain(`PartitionKey='${META_PARTITION}'`);
    expect(await answers(store)).toEqual(expected);
  });

  it('an interrupted run (time budget spent) saves its place; the next run resumes after it and finishes', async () => {
    const { store, expected } = await oldLayoutStore();
    let tick = 0;
    const first = await migrateStore(store, { budgetMs: 2, now: () => tick++ });
    expect(first).toMatchObject({ complete: false, vms: 2 });
    expect((await fleetSummary(store)).vms.total).toBe(2); // the two it reached are indexed already
    const progress = await store.index.getRow(META_PARTITION, 'migration', { parse: (r) => r as { lastPartition: string; done: boolean } });
    expect(progress).toMatchObject({ done: false });

    const recorder = recordingPolicy();
    const second = await migrateStore(storeWithPolicy(azurite.connectionString(), store.table.tableName, recorder.policy));
    expect(second).toMatchObject({ complete: true, vms: FLEET.length, resumedAfter: progress!.lastPartition, dirtyMarks: 2 });
    // It did not read again the partitions the first run had done.
    const partitionReads = recorder.requests.filter((r) => /\$filter=PartitionKey eq '%2F/.test(r.url) || /PartitionKey eq '\/subscriptions/i.test(r.url));
    expect(partitionReads.length).toBe(FLEET.length - 2);
    expect(await answers(store)).toEqual(expected);
  });
});
