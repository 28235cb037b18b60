import { describe, expect, it } from 'vitest';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { cleanInventory, RG } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

const azurite = useAzurite();

describe('vm-backup-guard exemptions', () => {
  it('add, list, remove against the store; check --store applies them; findings --state exempted lists them', async () => {
    const store = ['--store', azurite.connectionString(), '--table', freshTableName()];
    const add = await cli([
      'exemptions',
      'add',
      ...store,
      '--id',
      'b1s',
      '--scope',
      RG,
      '--rules',
      'compute.min-size',
      '--category',
      'waiver',
      '--reason',
      'build agent',
      '--by',
      'ops',
    ]);
    expect(add).toMatchObject({ code: 0, stdout: expect.stringContaining('added exemption b1s') });

    const doc = cleanInventory();
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
    const dir = tempFiles({ 'vm.json': doc });
    expect((await cli(['check', `${dir}/vm.json`, ...store, '--fail-on', 'error'])).code).toBe(0);
    const exempted = await cli(['findings', ...store, '--state', 'exempted']);
    expect(exempted.stdout).toMatch(/compute\.min-size[\s\S]*exempted by b1s \(waiver\): build agent/);

    const listed = await cli(['exemptions', 'list', ...store, '--audit']);
    expect(listed.stdout).toMatch(/b1s {2}waiver {2}compute\.min-size/);
    expect(listed.stdout).toMatch(/added\s+b1s\s+by ops/);
    expect((await cli(['exemptions', 'remove', ...store, '--id', 'b1s', '--by', 'ops'])).code).toBe(0);
    // Removed: the next check fails the gate again (the negative control of the first check).
    expect((await cli(['check', `${dir}/vm.json`, ...store, '--fail-on', 'error'])).code).toBe(1);
    expect((await cli(['exemptions', 'list', ...store, '--format', 'json'])).stdout).toBe('{"exemptions":[]}\n');
  });

  it('refuses an unknown rule id (exit 2)', async () => {
    const run = await cli([
      'exemptions',
      'add',
      '--store',
      azurite.connectionString(),
      '--table',
      freshTableName(),
      '--id',
      'x',
      '--scope',
      RG,
      '--rules',
      'nope.rule',
      '--category',
      'waiver',
      '--reason',
      'r',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rules: unknown rule id "nope.rule"');
  });
});
