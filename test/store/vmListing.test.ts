import { describe, expect, it } from 'vitest';
import { findingsSources } from '../../core/store/findingsQueryPlan.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { listVms, type VmListQuery } from '../../core/store/vmListing.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, vmIdOf, type Failing, type SyntheticVm } from '../helpers/syntheticFleet.js';

/**
 * The VM listing reads the severity partitions side by side where a VM can be in more than one, so each VM is listed
 * once, in key order, page after page. Names are chosen so that key order and row-key order differ (`vm-1` sorts
 * before `vm-10`, but `vm-10|…` before `vm-1|…`).
 */
const azurite = useAzurite();
const [R1, R2, R3] = RULE_IDS as [string, string, string];
const [S1, S2] = SUBSCRIPTIONS;
const error: Failing = { ruleId: R1, outcome: 'fail', severity: 'error' };
const warning: Failing = { ruleId: R2, outcome: 'fail', severity: 'warning' };
const info: Failing = { ruleId: R3, outcome: 'fail', severity: 'info' };

const FLEET: [SyntheticVm, Failing[]][] = [
  [{ subscription: S1, resourceGroup: 'rg-app', name: 'vm-1' }, [error, warning]],
  [{ subscription: S1, resourceGroup: 'rg-app', name: 'vm-10' }, [warning, info]],
  [{ subscription: S1, resourceGroup: 'rg-app', name: 'vm-2' }, [error, info]],
  [{ subscription: S1, resourceGroup: 'rg-data', name: 'vm-1' }, [error, warning, info]],
  [{ subscription: S2, resourceGroup: 'rg-app', name: 'vm-3' }, [error, warning, info]],
  [{ subscription: S2, resourceGroup: 'rg-data', name: 'vm-4' }, [info]],
];

/** What the listing should hold: the VMs with an open finding the query matches. */
function expected(query: VmListQuery): string[] {
  return FLEET.filter(
    ([vm, failing]) =>
      (!query.subscription || vm.subscription === query.subscription) &&
      (!query.resourceGroup || vm.resourceGroup === query.resourceGroup) &&
      failing.some((f) => (!query.rule || f.ruleId === query.rule) && (!query.severity || f.severity === query.severity)),
  )
    .map(([vm]) => vmIdOf(vm).toLowerCase())
    .sort();
}

async function listAll(store: FindingsStore, query: VmListQuery, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await listVms(store, query, { pageSize, ...(continuationToken ? { continuationToken } : {}) });
    ids.push(...page.items.map((item) => item.vmId.toLowerCase()));
    continuationToken = page.continuationToken ?? undefined;
  } while (continuationToken);
  return ids;
}

describe('the VM listing', () => {
  it('lists each VM once, in one order at every page size, for queries that read several severity partitions', async () => {
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
    for (const [n, [vm, failing]] of FLEET.entries()) await applySynthetic(store, vm, failing, at(n));
    const queries: VmListQuery[] = [
      { state: 'open' },
      { state: 'open', subscription: S1 },
      { state: 'open', subscription: S1, resourceGroup: 'rg-app' },
      { state: 'open', resourceGroup: 'rg-app' },
      { state: 'open', severity: 'info' },
      { state: 'open', rule: R2 },
    ];
    for (const query of queries) {
      const whole = await listAll(store, query, 50);
      expect([...whole].sort(), JSON.stringify(query)).toEqual(expected(query));
      for (const pageSize of [1, 2, 3]) expect(await listAll(store, query, pageSize), `${JSON.stringify(query)} by ${pageSize}`).toEqual(whole);
    }
  });

  it('is not vacuous: read one source after another, the same pointers name VMs more than once (the control)', async () => {
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
    for (const [n, [vm, failing]] of FLEET.entries()) await applySynthetic(store, vm, failing, at(n));
    const sources = await findingsSources({ state: 'open', subscription: S1 }, { vmKeysNamed: async () => [], subscriptions: async () => [S1, S2] });
    const keys: string[] = [];
    for (const source of sources)
      for await (const row of store.index.rows(source.partition, { from: source.from, to: source.to, filter: source.filter })) keys.push(String(row.vmKey));
    expect(sources.length).toBe(3);
    expect(new Set(keys).size).toBe(4);
    expect(keys.length).toBeGreaterThan(new Set(keys).size);
  });
});
