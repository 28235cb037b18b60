import { describe, expect, it } from 'vitest';
import { getEdition } from '../../core/matrix/editions/index.js';
import { fleetSummary } from '../../core/store/findingsReads.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { rankedRules, rankedSubscriptions } from '../../core/store/fleetRankings.js';
import { recentChanges } from '../../core/store/recentChanges.js';
import { listVms } from '../../core/store/vmListing.js';
import { migrateStore } from '../../core/store/migrate.js';
import { AGGREGATE_ROW, projectionPartition } from '../../core/store/tableKeys.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { isQuery, recordingPolicy, storeWithPolicy } from '../helpers/storeProbe.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, type Failing } from '../helpers/syntheticFleet.js';

/**
 * What the dashboard reads (through /api/summary, /api/vms, /api/subscriptions, /api/rules, /api/changes) costs what
 * it returns: every query pins a partition, none scans the table.
 */
const azurite = useAzurite();
const [R1, R2] = RULE_IDS as [string, string];
const fail = (ruleId: string, severity: Failing['severity'] = 'error'): Failing => ({ ruleId, outcome: 'fail', severity });

describe("the dashboard's reads", () => {
  it('pin a partition in every query (and a scan is recognised as one: the control)', async () => {
    const table = freshTableName();
    const writer = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    let n = 0;
    for (const subscription of SUBSCRIPTIONS) {
      for (const resourceGroup of ['rg-App', 'rg-data']) {
        n += 1;
        await applySynthetic(writer, { subscription, resourceGroup, name: `vm-${n}` }, [fail(R1), fail(R2, 'warning')], at(n));
      }
    }
    const recorder = recordingPolicy();
    const store = storeWithPolicy(azurite.connectionString(), table, recorder.policy);
    const reads: [string, () => Promise<unknown[]>][] = [
      ['summary', async () => [await fleetSummary(store)]],
      ['subscriptions', () => rankedSubscriptions(store)],
      ['rules', () => rankedRules(store, getEdition('2026-03'), 'docs/rules/')],
      ['vms', async () => (await listVms(store, { state: 'open' })).items],
      ['vms with errors', async () => (await listVms(store, { state: 'open', severity: 'error' })).items],
      ['vms of a rule in a resource group', async () => (await listVms(store, { state: 'open', rule: R2, resourceGroup: 'rg-data' })).items],
      ['vms, page by page', async () => (await listVms(store, { state: 'open' }, { pageSize: 2 })).items],
      ['changes', async () => (await recentChanges(store, { now: new Date(at(60)), days: 7 })).items],
    ];
    for (const [name, read] of reads) {
      recorder.requests.length = 0;
      expect((await read()).length, name).toBeGreaterThan(0);
      const queries = recorder.requests.filter(isQuery);
      expect(queries.length, name).toBeGreaterThan(0);
      for (const q of queries) expect(q.url, `${name}: ${q.url}`).toMatch(/\$filter=PartitionKey eq '/);
    }
    expect((await listVms(store, { state: 'open' })).items).toHaveLength(6);
    const scan = recordingPolicy();
    const scanning = storeWithPolicy(azurite.connectionString(), table, scan.policy);
    for await (const _ of scanning.table.listEntities({ queryOptions: { filter: "RowKey eq 'vm'" } })) break;
    expect(scan.requests.filter(isQuery).some((q) => !/\$filter=PartitionKey eq '/.test(q.url))).toBe(true);
  });
});

describe('open unknown findings in a store written before they were counted', () => {
  it('are counted once migrate --restart has synced each VM again (before it, they are not: the control)', async () => {
    const table = freshTableName();
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    const [sub] = SUBSCRIPTIONS;
    await applySynthetic(
      store,
      { subscription: sub, resourceGroup: 'rg-App', name: 'vm-1' },
      [{ ruleId: R1, outcome: 'unknown', severity: 'info' }, fail(R2)],
      at(1),
    );
    expect((await fleetSummary(store)).findings.byOutcome).toEqual({ fail: 1, unknown: 1 });
    // As an older version wrote them: no `unknown` in the projection's contribution nor in the aggregate.
    const partition = projectionPartition(sub);
    for await (const row of store.index.rows(partition)) {
      const key = row.rowKey === AGGREGATE_ROW ? 'totals' : 'contribution';
      const { unknown: _dropped, ...older } = JSON.parse(String(row[key])) as Record<string, unknown>;
      await store.table.updateEntity({ partitionKey: partition, rowKey: String(row.rowKey), [key]: JSON.stringify(older) }, 'Merge');
    }
    expect((await fleetSummary(store)).findings.byOutcome).toEqual({ fail: 2, unknown: 0 });
    await migrateStore(store, { restart: true });
    expect((await fleetSummary(store)).findings.byOutcome).toEqual({ fail: 1, unknown: 1 });
  });
});
