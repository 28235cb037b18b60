import { describe, expect, it } from 'vitest';
import { fleetSummary } from '../../core/store/findingsReads.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { purgeExpired } from '../../core/store/retention.js';
import { EXPIRY_DAYS_PARTITION, nameIndexPartition, projectionPartition, vmPartitionKey } from '../../core/store/tableKeys.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { keysOf, queryAll } from '../helpers/queryAll.js';
import { faultPolicy, isQuery, recordingPolicy, storeWithPolicy, touchesIndex } from '../helpers/storeProbe.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, vmIdOf, type Failing, type SyntheticVm } from '../helpers/syntheticFleet.js';

/**
 * Retention (default 90 days) removes resolved findings, settled alert intents and VMs deleted long ago — and
 * nothing else: what is recent, open, reopened or still pending stays. It reads no more than it deletes: every
 * query it makes pins a partition.
 */

const azurite = useAzurite();
const [R1, R2, R3] = RULE_IDS as [string, string, string];
const SUB = SUBSCRIPTIONS[0];
const vm = (name: string): SyntheticVm => ({ subscription: SUB, resourceGroup: 'rg-app', name });
const fail = (...rules: string[]): Failing[] => rules.map((ruleId) => ({ ruleId, outcome: 'fail', severity: 'error' }));
const OLD = '2026-11-01';
const RECENT = '2027-05-20';
const NOW = new Date('2027-06-01T00:00:00.000Z');
const lower = (v: SyntheticVm) => vmIdOf(v).toLowerCase();

const MIXED = vm('vm-mixed');
const REOPENED = vm('vm-reopened');
const GONE_LONG_AGO = vm('vm-gone-long-ago');
const GONE_RECENTLY = vm('vm-gone-recently');

async function deliverAllDue(store: FindingsStore, when: string): Promise<void> {
  for (const row of await store.dueAlerts(when, 100)) expect(await store.saveAlert({ ...row, state: 'delivered' })).not.toBeNull();
}

/** The fleet retention is run over; returns the rows the test expects to survive or go. */
async function fleet(store: FindingsStore, table: string) {
  // vm-mixed: R1 resolved long ago (goes), R2 open since long ago (stays), R3 resolved recently (stays).
  await applySynthetic(store, MIXED, fail(R1, R2), at(0, OLD));
  await applySynthetic(store, MIXED, fail(R2), at(60, OLD));
  await deliverAllDue(store, at(61, OLD)); // the two old intents: delivered long ago (go)
  await applySynthetic(store, MIXED, fail(R2, R3), at(0, RECENT)); // this intent stays pending (stays)
  await applySynthetic(store, MIXED, fail(R2), at(60, RECENT));
  await deliverAllDue(store, at(61, RECENT)); // delivered recently (stays)
  await applySynthetic(store, MIXED, fail(R2, R3), at(120, RECENT));
  await applySynthetic(store, MIXED, fail(R2), at(180, RECENT)); // two intents pending

  // vm-reopened: R1 resolved long ago, reopened recently. The reopen's index write fails half-way, so the old
  // expiry entry outlives it: retention must check the row itself, not trust the entry.
  await applySynthetic(store, REOPENED, fail(R1), at(0, OLD));
  await applySynthetic(store, REOPENED, [], at(60, OLD));
  const faulty = storeWithPolicy(azurite.connectionString(), table, faultPolicy((r) => r.method === 'DELETE' && touchesIndex(r)).policy);
  await expect(applySynthetic(faulty, REOPENED, fail(R1), at(0, RECENT))).rejects.toThrow('injected fault');

  await applySynthetic(store, GONE_LONG_AGO, fail(R1), at(0, OLD));
  await store.applyDeletion(vmIdOf(GONE_LONG_AGO), { observedAt: at(60, OLD), trigger: { kind: 'event' }, now: at(60, OLD) });
  await applySynthetic(store, GONE_RECENTLY, fail(R1), at(0, OLD));
  await store.applyDeletion(vmIdOf(GONE_RECENTLY), { observedAt: at(60, RECENT), trigger: { kind: 'event' }, now: at(60, RECENT) });
  await deliverAllDue(store, at(61, OLD));
}

const outboxStates = async (store: FindingsStore, v: SyntheticVm) =>
  (await store.readVm(vmIdOf(v))).outbox.map((o) => `${o.createdAt.slice(0, 10)} ${o.state}`).sort();

describe('purgeExpired', () => {
  it('removes only what is older than the retention, and corrects the index and the counts', async () => {
    const table = freshTableName();
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    await fleet(store, table);
    const before = await fleetSummary(store);
    // vm-reopened's open error is not counted yet: its index write failed (the next evaluation repairs it).
    expect(before.vms).toEqual({ total: 4, withOpenErrors: 1, deleted: 2 });
    expect(await outboxStates(store, MIXED)).toEqual([
      `${OLD} delivered`,
      `${OLD} delivered`,
      `${RECENT} delivered`,
      `${RECENT} delivered`,
      `${RECENT} pending`,
      `${RECENT} pending`,
    ]);

    const report = await purgeExpired(store, NOW, 90);
    expect(report.kept).toBeGreaterThanOrEqual(1); // the reopened finding's leftover entry

    // vm-mixed: the finding resolved long ago and the intents delivered long ago went; the rest stayed.
    const mixed = await store.readVm(vmIdOf(MIXED));
    expect([...mixed.findings.values()].map((f) => `${f.ruleId} ${f.state}`).sort()).toEqual([`${R2} open`, `${R3} resolved`].sort());
    expect(await outboxStates(store, MIXED)).toEqual([`${RECENT} delivered`, `${RECENT} delivered`, `${RECENT} pending`, `${RECENT} pending`]);
    expect(keysOf(await queryAll(store, { rule: R1, state: 'resolved' }))).toEqual([`${lower(GONE_RECENTLY)} ${R1} resolved`]);
    expect(keysOf(await queryAll(store, { vm: MIXED.name, state: 'all' }))).toEqual([`${lower(MIXED)} ${R2} open`, `${lower(MIXED)} ${R3} resolved`].sort());
    expect((await store.alerts('delivered')).map((r) => `${r.vmId.toLowerCase()} ${r.createdAt.slice(0, 10)}`).sort()).toEqual([
      `${lower(MIXED)} ${RECENT}`,
      `${lower(MIXED)} ${RECENT}`,
    ]);
    expect((await store.alerts('pending')).map((r) => r.vmId.toLowerCase()).sort()).toEqual([
      lower(GONE_RECENTLY),
      lower(MIXED),
      lower(MIXED),
      lower(REOPENED),
    ]);

    // vm-reopened: open again, so its finding stays whatever the old entry said.
    expect([...(await store.readVm(vmIdOf(REOPENED))).findings.values()].map((f) => `${f.ruleId} ${f.state}`)).toEqual([`${R1} open`]);

    // vm-gone-long-ago: the whole partition, its projection, its name entry and its share of the counts.
    const gone = await store.readVm(vmIdOf(GONE_LONG_AGO));
    expect(gone).toEqual({ summary: null, findings: new Map(), outbox: [] });
    expect(await store.index.projection(vmPartitionKey(vmIdOf(GONE_LONG_AGO)))).toBeNull();
    expect(await store.index.vmIdsIn(nameIndexPartition(GONE_LONG_AGO.name))).toEqual([]);
    expect(keysOf(await queryAll(store, { vm: GONE_LONG_AGO.name, state: 'all' }))).toEqual([]);
    // vm-gone-recently stays, with its history.
    expect((await store.readVm(vmIdOf(GONE_RECENTLY))).summary?.state).toBe('deleted');
    // Its old intent was delivered after its last evaluation (no sync since): it goes all the same.
    expect(await outboxStates(store, GONE_RECENTLY)).toEqual([`${RECENT} pending`]);
    expect(keysOf(await queryAll(store, { vm: GONE_RECENTLY.name, state: 'all' }))).toEqual([`${lower(GONE_RECENTLY)} ${R1} resolved`]);

    const after = await fleetSummary(store);
    // Purging vm-reopened's old intents synced its index too, which repaired the lag: its open error counts now.
    expect(after.vms).toEqual({ total: 3, withOpenErrors: 2, deleted: 1 });
    // Open: vm-mixed's R2, vm-reopened's R1. Resolved: vm-mixed's R3, vm-gone-recently's R1.
    expect(after.findings.byState).toEqual({ open: 2, resolved: 2, exempted: 0 });
    expect(before.findings.byState).toEqual({ open: 1, resolved: 5, exempted: 0 });
    // Nothing older than the cutoff is left to expire.
    const days: string[] = [];
    for await (const row of store.index.rows(EXPIRY_DAYS_PARTITION)) days.push(String(row.rowKey));
    expect(days.every((d) => d >= '2027-03-03')).toBe(true);
    expect(await store.index.getRow(projectionPartition(SUB), vmPartitionKey(vmIdOf(MIXED)), { parse: (r) => r })).not.toBeNull();
  });

  it('a second run removes nothing; a longer retention removes nothing', async () => {
    const table = freshTableName();
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    await fleet(store, table);
    expect((await purgeExpired(store, NOW, 400)).rowsDeleted).toBe(0); // the control: nothing is that old
    expect((await purgeExpired(store, NOW, 90)).rowsDeleted).toBeGreaterThan(0);
    expect((await purgeExpired(store, NOW, 90)).rowsDeleted).toBe(0);
  });

  it('reads no table scan: every query it makes pins a partition', async () => {
    const table = freshTableName();
    await fleet(FindingsStore.connect({ connectionString: azurite.connectionString() }, table), table);
    const recorder = recordingPolicy();
    const report = await purgeExpired(storeWithPolicy(azurite.connectionString(), table, recorder.policy), NOW, 90);
    expect(report.rowsDeleted).toBeGreaterThan(0);
    const queries = recorder.requests.filter(isQuery);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q.url, q.url).toMatch(/\$filter=PartitionKey eq '/);
    // The control: a scan is recognised as one (the check above is not vacuous).
    const scan = recordingPolicy();
    const scanning = storeWithPolicy(azurite.connectionString(), table, scan.policy);
    for await (const _ of scanning.table.listEntities({ queryOptions: { filter: "RowKey eq 'vm'" } })) break;
    expect(scan.requests.filter(isQuery).some((q) => !/\$filter=PartitionKey eq '/.test(q.url))).toBe(true);
  });
});
