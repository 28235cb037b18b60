import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { cleanInventory, type Json } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

const azurite = useAzurite();

function brokenVm(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.virtualMachines[0].zones = ['1'];
  return doc;
}

describe('check --store and findings', () => {
  it('stores evaluations; running them again changes no finding; fixing the VM resolves its findings', async () => {
    const table = freshTableName();
    const store = ['--store', azurite.connectionString(), '--table', table];
    const dir = tempFiles({ 'vm.json': brokenVm() });
    const first = await cli(['check', dir, '--matrix', '2019-02', '--fail-on', 'never', ...store]);
    expect(first.stderr).toMatch(/stored 1 evaluations in table .*: 2 findings opened, 0 resolved/);
    const open = async () =>
      JSON.parse((await cli(['findings', ...store, '--format', 'json'])).stdout).findings.map((f: Json) => [f.ruleId, f.state, f.firstSeenAt]);
    const before = await open();
    expect(before.map((f: string[]) => f[0]).sort()).toEqual(['compute.availability-zone', 'compute.min-size']);

    const again = await cli(['check', dir, '--matrix', '2019-02', '--fail-on', 'never', ...store]);
    expect(again.stderr).toMatch(/0 findings opened, 0 resolved, 0 changed; 1 VMs with nothing new/);
    expect(await open()).toEqual(before);

    const fixed = tempFiles({ 'vm.json': cleanInventory() });
    expect((await cli(['check', fixed, '--matrix', '2019-02', ...store])).stderr).toMatch(/0 findings opened, 2 resolved/);
    expect(await open()).toEqual([]);
    const resolved = JSON.parse((await cli(['findings', ...store, '--state', 'resolved', '--format', 'json'])).stdout).findings;
    expect(resolved.map((f: Json) => [f.ruleId, f.resolvedReason]).sort()).toEqual([
      ['compute.availability-zone', 'passed'],
      ['compute.min-size', 'passed'],
    ]);
  });

  it('findings filters, csv output, and hostile filter values', async () => {
    const store = ['--store', azurite.connectionString(), '--table', freshTableName()];
    await cli(['check', tempFiles({ 'vm.json': brokenVm() }), '--matrix', '2019-02', ...store]);
    const csv = (await cli(['findings', ...store, '--rule', 'compute.min-size', '--format', 'csv'])).stdout.trimEnd().split('\r\n');
    expect(csv[0]).toBe('vmName,resourceGroup,subscriptionId,ruleId,severity,outcome,state,firstSeenAt,lastSeenAt,resolvedAt,resolvedReason,message,vmId');
    expect(csv.slice(1).map((line) => line.split(',')[3])).toEqual(['"compute.min-size"']);
    for (const [flag, value, message] of [
      ['--rule', "compute.min-size' or true or '", '--rule: must be a rule id'],
      ['--subscription', "' or 1 eq 1", '--subscription: must be a subscription id'],
      ['--resource-group', "rg') or (true", '--resource-group: may hold'],
      ['--severity', 'error or 1 eq 1', '--severity:'],
      ['--state', "open' or '1' eq '1", '--state:'],
    ]) {
      const run = await cli(['findings', ...store, flag!, value!]);
      expect(run.code, `${flag} ${value}`).toBe(2);
      expect(run.stderr).toContain(message);
    }
    // A VM name is free text: escaped, it matches nothing instead of everything.
    for (const vm of ["x' or RowKey ne '", "vm-app-01' or '1' eq '1", 'vm-app-01" or true']) {
      expect(JSON.parse((await cli(['findings', ...store, '--vm', vm, '--format', 'json'])).stdout).count, vm).toBe(0);
    }
    expect(JSON.parse((await cli(['findings', ...store, '--vm', 'VM-APP-01', '--format', 'json'])).stdout).count).toBe(2);
  });

  it('needs a store, and says which', async () => {
    const run = await cli(['findings']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('findings needs --store <connection-string> or FINDINGS_STORAGE');
    expect((await cli(['findings', '--store', 'not a connection string'])).stderr).toContain(
      '--store (or FINDINGS_STORAGE) must be a storage connection string',
    );
    const file = join(tempFiles({ 'vm.json': cleanInventory() }), 'vm.json');
    expect((await cli(['check', file, '--table', 'bad-name!'], { env: { FINDINGS_STORAGE: azurite.connectionString() } })).stderr).toContain(
      '--table (or FINDINGS_TABLE) must be 3-63 letters',
    );
  });
});

describe('a store that cannot be reached', () => {
  it('exits 3 naming the failure, without a stack trace', async () => {
    const run = await cli([
      'findings',
      '--store',
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
