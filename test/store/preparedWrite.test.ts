import { describe, expect, it } from 'vitest';
import { fleetSummary } from '../../core/store/findingsReads.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { findingIndexPartition, findingIndexRowKey, projectionPartition, vmPartitionKey } from '../../core/store/tableKeys.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { keysOf, queryAll } from '../helpers/queryAll.js';
import { faultPolicy, InjectedFault, recordingPolicy, rowExists, storeWithPolicy, touchesIndex } from '../helpers/storeProbe.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, syntheticEvaluation, vmIdOf, type Failing, type SyntheticVm } from '../helpers/syntheticFleet.js';

/**
 * FindingsStore.prepareWrite reads a VM's partition and projection while ARM is read, before the evaluation exists.
 * Reads that old can be stale by the time the write uses them; the ETags that guard the partition and the projection
 * make a stale read cost a retry, never a wrong index. These tests make them stale on purpose.
 */

const azurite = useAzurite();
const [R1, R2, R3] = RULE_IDS as [string, string, string];
const [SUB] = SUBSCRIPTIONS;
const A: SyntheticVm = { subscription: SUB, resourceGroup: 'rg-app', name: 'vm-a' };
const vmKey = vmPartitionKey(vmIdOf(A));
const fails = (...rules: string[]): Failing[] => rules.map((ruleId) => ({ ruleId, outcome: 'fail', severity: 'error' }));
const input = (when: string) => ({ location: 'westeurope', observedAt: when, trigger: { kind: 'cli' as const }, now: when });
const openPointer = (rule: string) => [findingIndexPartition('open', 'rule', rule), findingIndexRowKey(vmKey, rule)] as const;
const connect = (table = freshTableName()) => FindingsStore.connect({ connectionString: azurite.connectionString() }, table);

/** What the index-backed reads say, and which open-by-rule pointers exist as rows (queries hide stale ones). */
async function indexState(store: FindingsStore) {
  const pointers: Record<string, boolean> = {};
  for (const rule of [R1, R2, R3]) pointers[rule] = await rowExists(store, ...openPointer(rule));
  return {
    pointers,
    byRule: await Promise.all([R1, R2, R3].map(async (rule) => keysOf(await queryAll(store, { rule })))),
    summary: await fleetSummary(store),
  };
}

describe('a write prepared before another evaluation of the VM committed', () => {
  it('retries on the partition ETag and leaves the index as the two in order would', async () => {
    const store = connect();
    const control = connect();
    for (const s of [store, control]) await applySynthetic(s, A, fails(R1), at(1));

    const prepared = store.prepareWrite(vmIdOf(A));
    await prepared.stored;
    // Another evaluation of the VM commits after the read: R3 fails too.
    await applySynthetic(store, A, fails(R1, R3), at(2));
    const result = await store.applyEvaluation(syntheticEvaluation(A, fails(R2)), { ...input(at(3)), prepared });
    expect(result.written).toBe(true);

    await applySynthetic(control, A, fails(R1, R3), at(2));
    await applySynthetic(control, A, fails(R2), at(3));
    const state = await indexState(store);
    expect(state).toEqual(await indexState(control));
    expect(state.pointers).toEqual({ [R1]: false, [R2]: true, [R3]: false });
  });

  it('with a projection another sync wrote since the read, deletes the entries that projection recorded', async () => {
    // The first evaluation's index write fails: its partition is committed, its projection not (none yet).
    const table = freshTableName();
    const fault = faultPolicy(touchesIndex);
    const faulty = storeWithPolicy(azurite.connectionString(), table, fault.policy);
    await expect(applySynthetic(faulty, A, fails(R1), at(1))).rejects.toBeInstanceOf(InjectedFault);
    const store = connect(table);

    const prepared = store.prepareWrite(vmIdOf(A));
    expect(await prepared.projection).toBeNull();
    // A reader's repair indexes the VM now, R1's pointer and a projection recording it included.
    await store.reindex(vmKey);
    expect(await rowExists(store, ...openPointer(R1))).toBe(true);

    // The write's partition read is current; its projection read (none) is not: the create meets 409, and the retry
    // takes the entries the reindexed projection recorded into account.
    await store.applyEvaluation(syntheticEvaluation(A, fails(R2)), { ...input(at(2)), prepared });
    const control = connect();
    await applySynthetic(control, A, fails(R1), at(1));
    await applySynthetic(control, A, fails(R2), at(2));
    const state = await indexState(store);
    expect(state).toEqual(await indexState(control));
    expect(state.pointers).toEqual({ [R1]: false, [R2]: true, [R3]: false });
  });
});

describe('prepareWrite for a VM the store has no summary of', () => {
  it('does not read a projection (one request fewer), and a projection left behind is still reconciled', async () => {
    const recorder = recordingPolicy();
    const table = freshTableName();
    const store = storeWithPolicy(azurite.connectionString(), table, recorder.policy);
    const projectionReads = () => recorder.requests.filter((r) => r.method === 'GET' && r.url.includes(`PartitionKey='${projectionPartition(SUB)}'`)).length;

    // The control: a VM the store knows has its projection read ahead.
    await applySynthetic(store, A, fails(R1), at(1));
    recorder.requests.length = 0;
    await store.prepareWrite(vmIdOf(A)).projection;
    expect(projectionReads()).toBe(1);

    // A retention run that stopped half-way: the VM's rows are gone, its projection and pointers are not.
    for await (const row of store.index.rows(vmKey)) await store.table.deleteEntity(vmKey, String(row.rowKey));
    recorder.requests.length = 0;
    const prepared = store.prepareWrite(vmIdOf(A));
    expect(await prepared.projection).toBeNull();
    expect(projectionReads()).toBe(0);

    await store.applyEvaluation(syntheticEvaluation(A, fails(R2)), { ...input(at(2)), prepared });
    expect((await indexState(store)).pointers).toEqual({ [R1]: false, [R2]: true, [R3]: false });
    const totals = await store.index.totals(SUB);
    expect({ vms: totals.vms, open: totals.open, rules: totals.rules }).toEqual({ vms: 1, open: 1, rules: { [R2]: 1 } });
  });

  it('a write prepared for another VM is not used for this one', async () => {
    const store = connect();
    const B: SyntheticVm = { ...A, name: 'vm-b' };
    await applySynthetic(store, B, fails(R1, R3), at(1));
    const result = await store.applyEvaluation(syntheticEvaluation(A, fails(R2)), { ...input(at(2)), prepared: store.prepareWrite(vmIdOf(B)) });
    expect(result.transitions.map((t) => `${t.ruleId} ${t.kind}`)).toEqual([`${R2} opened`]);
  });
});

describe('the aggregate read ahead for a VM seen first', () => {
  const B: SyntheticVm = { ...A, name: 'vm-b' };
  const C: SyntheticVm = { ...A, name: 'vm-c' };

  it('is read while ARM would be, not among the index writes (a control without it reads it there)', async () => {
    const recorder = recordingPolicy();
    const store = storeWithPolicy(azurite.connectionString(), freshTableName(), recorder.policy);
    const aggregateReads = () => recorder.requests.filter((r) => r.method === 'GET' && r.url.includes('aggregate')).length;
    await applySynthetic(store, A, fails(R1), at(1));

    const prepared = store.prepareWrite(vmIdOf(B));
    expect((await prepared.aggregate)?.row).not.toBeNull();
    recorder.requests.length = 0;
    await store.applyEvaluation(syntheticEvaluation(B, fails(R2)), { ...input(at(2)), prepared });
    expect(aggregateReads()).toBe(0);

    // The control: the same write for a third new VM, without the prepared reads, reads the aggregate once.
    recorder.requests.length = 0;
    await applySynthetic(store, C, fails(R3), at(3));
    expect(aggregateReads()).toBe(1);
    const totals = await store.index.totals(SUB);
    expect({ vms: totals.vms, open: totals.open, rules: totals.rules }).toEqual({ vms: 3, open: 3, rules: { [R1]: 1, [R2]: 1, [R3]: 1 } });
  });

  it('made stale by another VM of the subscription, costs a retry and counts both', async () => {
    const store = connect();
    await applySynthetic(store, A, fails(R1), at(1));
    const prepared = store.prepareWrite(vmIdOf(B));
    await prepared.aggregate;
    // Another new VM of the subscription is stored after the read: the aggregate's ETag moved.
    await applySynthetic(store, C, fails(R3), at(2));
    await store.applyEvaluation(syntheticEvaluation(B, fails(R2)), { ...input(at(3)), prepared });
    const totals = await store.index.totals(SUB);
    expect({ vms: totals.vms, open: totals.open, rules: totals.rules }).toEqual({ vms: 3, open: 3, rules: { [R1]: 1, [R2]: 1, [R3]: 1 } });
  });

  it('is not read for a VM the store knows (its counts may not move)', async () => {
    const store = connect();
    await applySynthetic(store, A, fails(R1), at(1));
    const prepared = store.prepareWrite(vmIdOf(A));
    expect(await prepared.aggregate).toBeNull();
  });
});
