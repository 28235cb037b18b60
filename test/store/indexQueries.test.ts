import { odata } from '@azure/data-tables';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleetSummary } from '../../core/store/findingsReads.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { findingRow, summaryRow, type FindingRow, type SummaryRow } from '../../core/store/rows.js';
import { FINDING_ROW_PREFIX, SUMMARY_ROW, vmPartitionKey } from '../../core/store/tableKeys.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { findingKey, keysOf, queryAll } from '../helpers/queryAll.js';
import { applySynthetic, at, RESOURCE_GROUPS, RULE_IDS, SEVERITIES, SUBSCRIPTIONS, vmIdOf, type Failing, type SyntheticVm } from '../helpers/syntheticFleet.js';

/**
 * Index-backed queries against the truth: a brute-force scan of every VM partition, filtered in memory the way
 * the query's parameters say. On small random fleets (subscriptions, resource groups, names shared across them,
 * rules at every severity and outcome, findings resolved and reopened, VMs deleted), for every combination of the
 * parameters the API accepts, read page by page at assorted page sizes.
 */

const azurite = useAzurite();
const NAMES = ['vm-a', 'VM-A', 'web-1', 'db'];
const PARAMETERS = ['subscription', 'resourceGroup', 'vm', 'rule', 'severity', 'outcome'] as const;

const failingArb: fc.Arbitrary<Failing[]> = fc
  .uniqueArray(
    fc.record({
      ruleId: fc.constantFrom(...RULE_IDS),
      outcome: fc.constantFrom<'fail' | 'unknown'>('fail', 'fail', 'unknown'),
      severity: fc.constantFrom(...SEVERITIES),
    }),
    { selector: (f) => f.ruleId, maxLength: RULE_IDS.length },
  )
  .map((list) => list.map((f) => (f.outcome === 'unknown' ? { ...f, severity: 'info' as const } : f)));
const vmArb = fc.record({
  vm: fc.record({
    subscription: fc.constantFrom(SUBSCRIPTIONS[0], SUBSCRIPTIONS[1]),
    resourceGroup: fc.constantFrom(...RESOURCE_GROUPS),
    name: fc.constantFrom(...NAMES),
  }),
  /** Successive evaluations: findings open, resolve, reopen, change severity. */
  evaluations: fc.array(failingArb, { minLength: 1, maxLength: 3 }),
  deleted: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});
const fleetArb = fc.uniqueArray(vmArb, { minLength: 1, maxLength: 7, selector: (v) => vmIdOf(v.vm).toLowerCase() });
type Fleet = typeof fleetArb extends fc.Arbitrary<infer T> ? T : never;

async function load(store: FindingsStore, fleet: Fleet) {
  let minute = 0;
  for (const { vm, evaluations, deleted } of fleet) {
    for (const failing of evaluations) await applySynthetic(store, vm, failing, at(minute++));
    if (deleted) await store.applyDeletion(vmIdOf(vm), { observedAt: at(minute), trigger: { kind: 'event' }, now: at(minute++) });
  }
}

/** The truth: every VM partition, read by scanning the table (what the index exists to avoid). */
async function truth(store: FindingsStore): Promise<{ findings: FindingRow[]; summaries: SummaryRow[] }> {
  const findings: FindingRow[] = [];
  const summaries: SummaryRow[] = [];
  for await (const e of store.table.listEntities({ queryOptions: { filter: odata`PartitionKey lt ${'ix.'}` } })) {
    if (e.rowKey === SUMMARY_ROW) summaries.push(summaryRow.parse(e));
    else if (e.rowKey?.startsWith(FINDING_ROW_PREFIX)) findings.push(findingRow.parse(e));
  }
  return { findings, summaries };
}

type Query = Partial<Record<(typeof PARAMETERS)[number], string>> & { state?: 'open' | 'resolved' | 'all' };

function bruteForce(rows: readonly FindingRow[], q: Query): string[] {
  return rows
    .filter((r) => (q.state ?? 'open') === 'all' || r.state === (q.state ?? 'open'))
    .filter((r) => !q.subscription || r.subscriptionId === q.subscription.toLowerCase())
    .filter((r) => !q.resourceGroup || r.resourceGroup === q.resourceGroup.toLowerCase())
    .filter((r) => !q.vm || (q.vm.includes('/') ? r.partitionKey === vmPartitionKey(q.vm) : r.vmNameLower === q.vm.toLowerCase()))
    .filter((r) => !q.rule || r.ruleId === q.rule)
    .filter((r) => !q.severity || r.severity === q.severity)
    .filter((r) => !q.outcome || r.outcome === q.outcome)
    .map(findingKey)
    .sort();
}

/** A value for each parameter: mostly ones the fleet has, sometimes one it does not, in any letter case. */
function valueFor(parameter: (typeof PARAMETERS)[number], ids: readonly string[], pick: (n: number) => number): string {
  const flipCase = (s: string) => (pick(2) === 0 ? s.toUpperCase() : s);
  switch (parameter) {
    case 'subscription':
      return flipCase(SUBSCRIPTIONS[pick(SUBSCRIPTIONS.length)]!); // the third has no VMs
    case 'resourceGroup':
      return flipCase([...RESOURCE_GROUPS, 'rg-none'][pick(3)]!);
    case 'vm':
      return pick(3) === 0 ? flipCase(ids[pick(ids.length)]!) : flipCase([...NAMES, 'nope'][pick(NAMES.length + 1)]!);
    case 'rule':
      return RULE_IDS[pick(RULE_IDS.length)]!;
    case 'severity':
      return SEVERITIES[pick(3)]!;
    case 'outcome':
      return ['fail', 'unknown'][pick(2)]!;
  }
}

const PAGE_SIZES = [1, 2, 3, 7, 1000];

describe('index-backed queries agree with a scan of the VM partitions', () => {
  it('for every parameter combination and state, paged at assorted sizes; and the fleet summary', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fleetArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (fleet, seed) => {
        const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
        await load(store, fleet);
        let state = seed;
        const pick = (n: number) => {
          state = (Math.imul(state, 48271) % 2147483647) >>> 0;
          return state % n;
        };
        const { findings, summaries } = await truth(store);
        const ids = summaries.map((s) => s.vmId);
        for (let mask = 0; mask < 1 << PARAMETERS.length; mask++) {
          for (const st of ['open', 'resolved', 'all'] as const) {
            const query: Query = { state: st };
            PARAMETERS.forEach((p, i) => {
              if (mask & (1 << i)) query[p] = valueFor(p, ids, pick);
            });
            const pageSize = PAGE_SIZES[pick(PAGE_SIZES.length)]!;
            expect(keysOf(await queryAll(store, query, pageSize)), JSON.stringify({ query, pageSize })).toEqual(bruteForce(findings, query));
          }
        }
        for (const subscription of [undefined, SUBSCRIPTIONS[0], SUBSCRIPTIONS[2]]) {
          const inScope = <T extends { subscriptionId: string }>(rows: T[]) => rows.filter((r) => !subscription || r.subscriptionId === subscription);
          const open = inScope(findings).filter((f) => f.state === 'open');
          const count = (list: string[]) => Object.fromEntries([...new Set(list)].sort().map((k) => [k, list.filter((x) => x === k).length]));
          const summary = await fleetSummary(store, subscription ? { subscription } : {});
          expect(summary.findings, String(subscription)).toEqual({
            byState: { open: open.length, resolved: inScope(findings).length - open.length, exempted: 0 },
            bySeverity: { error: 0, warning: 0, info: 0, ...count(open.map((f) => f.severity)) },
            byOutcome: { fail: 0, unknown: 0, ...count(open.map((f) => f.outcome)) },
            byRule: count(open.map((f) => f.ruleId)),
          });
          const vms = inScope(summaries);
          const withOpenErrors = new Set(open.filter((f) => f.outcome === 'fail' && f.severity === 'error').map((f) => f.partitionKey)).size;
          expect(summary.vms).toEqual({ total: vms.length, deleted: vms.filter((s) => s.state === 'deleted').length, withOpenErrors });
        }
      }),
      { numRuns: 4, endOnFailure: true },
    );
  });

  it('the brute force is not vacuous: the fleets have findings in every state', async () => {
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
    const vm: SyntheticVm = { subscription: SUBSCRIPTIONS[0], resourceGroup: 'rg-App', name: 'vm-a' };
    await applySynthetic(store, vm, [{ ruleId: RULE_IDS[0]!, outcome: 'fail', severity: 'error' }], at(0));
    await applySynthetic(store, vm, [{ ruleId: RULE_IDS[1]!, outcome: 'unknown', severity: 'info' }], at(1));
    const { findings } = await truth(store);
    expect(bruteForce(findings, {})).toHaveLength(1);
    expect(bruteForce(findings, { state: 'resolved' })).toHaveLength(1);
    expect(keysOf(await queryAll(store, { state: 'all', resourceGroup: 'RG-APP' }, 1))).toEqual(
      bruteForce(findings, { state: 'all', resourceGroup: 'rg-app' }),
    );
    expect(bruteForce(findings, { state: 'all', rule: RULE_IDS[2]! })).toEqual([]);
  });
});
