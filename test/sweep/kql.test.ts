import { describe, expect, it } from 'vitest';
import {
  changedItemsQuery,
  changeOwnersQuery,
  policiesQuery,
  protectedVmsQuery,
  publicIpsQuery,
  resourceChangesQuery,
  vaultsQuery,
} from '../../core/sweep/fleetQueries.js';
import { kqlProblems } from '../helpers/kusto.js';

const IDS = [
  '/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm-1',
  "/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/o'brien",
];

describe('the Resource Graph queries of the sweep (Kusto language service, Resource Graph-shaped schema)', () => {
  const queries: [string, string][] = [
    ['protected VMs', protectedVmsQuery()],
    ['protected VMs, narrowed to some VMs', protectedVmsQuery(IDS)],
    ['public IPs', publicIpsQuery()],
    ['public IPs by id', publicIpsQuery(IDS)],
    ['backup policies', policiesQuery()],
    ['backup policies by id', policiesQuery(IDS)],
    ['vaults', vaultsQuery()],
    ['vaults by id', vaultsQuery(IDS)],
    ['resource changes since a mark', resourceChangesQuery(new Date('2026-11-26T10:00:00Z'))],
    ['the VMs of changed disks, NICs and public IPs', changeOwnersQuery(IDS)],
    ['the VMs of changed protected items', changedItemsQuery(IDS)],
  ];
  for (const [what, query] of queries) {
    it(`${what}: no errors or warnings`, () => {
      expect(kqlProblems(query)).toEqual([]);
    });
  }

  it('reports broken queries (the check can fail): an unknown column, an unknown table, a syntax error', () => {
    const query = protectedVmsQuery();
    expect(kqlProblems(query.replace('project vmId, vm, item, disks, nics', 'project vmId, vm, itemz, disks, nics')).map((p) => p.at)).toEqual(['itemz']);
    expect(kqlProblems(query.replace('RecoveryServicesResources', 'RecoveryServiceResources')).map((p) => p.at)).toContain('RecoveryServiceResources');
    expect(kqlProblems(resourceChangesQuery(new Date(0)).replace('| summarize changedAt', '| summarize changedAt =')).length).toBeGreaterThan(0);
    // A column that only a join brings in is checked too.
    expect(kqlProblems(changeOwnersQuery(IDS).replace('iff(isIp, nicVmId', 'iff(isIp, nicVmIdz')).map((p) => p.at)).toEqual(['nicVmIdz']);
  });

  it('reports what Resource Graph refuses though Kusto accepts it: a fourth join, an unsupported join kind, a join hint', () => {
    const query = protectedVmsQuery();
    const fourth = `${query}\n| join kind=leftouter (Resources | project vmId = tolower(id), extra = name) on vmId`;
    expect(kqlProblems(fourth).map((p) => p.message)).toEqual(['4 joins: Resource Graph allows at most 3']);
    expect(kqlProblems(query.replace('join kind=inner', 'join kind=rightouter')).map((p) => p.at)).toEqual(['rightouter']);
    expect(kqlProblems(query.replace('join kind=inner', 'join kind=leftanti')).map((p) => p.at)).toContain('leftanti');
    expect(kqlProblems(query.replace('join kind=inner', 'join kind=inner hint.strategy=broadcast')).map((p) => p.severity)).toEqual(['ResourceGraph']);
    // Two joins to other tables than the one the query starts from (the sweep's first version did three).
    const crossTable = `RecoveryServicesResources | project vmId = tolower(id)\n| join kind=inner (Resources | project vmId = tolower(id), a = name) on vmId\n| join kind=leftouter (Resources | project vmId = tolower(id), b = name) on vmId`;
    expect(kqlProblems(crossTable).map((p) => p.message)).toEqual([
      '2 cross-table joins: Resource Graph allows one (unless all are between Resources and ResourceContainers)',
    ]);
    expect(kqlProblems(crossTable.replace('RecoveryServicesResources', 'Resources'))).toEqual([]);
    // Text that only looks like a join (in a comment or a string) is not one.
    expect(kqlProblems(`// | join kind=rightouter (\nResources | where name == '| join kind=anti (' | project id`)).toEqual([]);
  });
});
