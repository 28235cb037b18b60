import { describe, expect, it } from 'vitest';
import { cleanInventory, VM_ID, type Json } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

/** A VM whose only error is compute.min-size (a B1s has one vCPU). */
function tooSmall(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  return doc;
}

const exemptionFor = (expiresOn: string | null) => ({
  exemptions: [
    {
      id: 'build-agent',
      scope: VM_ID,
      rules: ['compute.min-size'],
      category: 'waiver',
      reason: 'A build agent stays on a B1s',
      expiresOn,
      createdBy: 'ops@contoso.com',
      createdAt: '2026-01-01T00:00:00Z',
    },
  ],
});

describe('check --exemptions', () => {
  it('a VM failing compute.min-size exits 0 under --fail-on error with an active exemption, 1 with it expired', async () => {
    const dir = tempFiles({ 'vm.json': tooSmall(), 'active.json': exemptionFor('2099-01-01'), 'expired.json': exemptionFor('2020-01-01T00:00:00Z') });
    // The control: without exemptions the error fails the gate.
    expect((await cli(['check', `${dir}/vm.json`, '--fail-on', 'error'])).code).toBe(1);
    const active = await cli(['check', `${dir}/vm.json`, '--fail-on', 'error', '--exemptions', `${dir}/active.json`]);
    expect(active.code).toBe(0);
    expect(active.stdout).toMatch(/1 exempted finding \(--show-exempted lists them\)/);
    expect(active.stdout).toMatch(/0 errors.*1 exempted \(not counted\)\. Passed \(--fail-on error\)/);
    const expired = await cli(['check', `${dir}/vm.json`, '--fail-on', 'error', '--exemptions', `${dir}/expired.json`]);
    expect(expired.code).toBe(1);
    expect(expired.stdout).not.toMatch(/exempted/);
  });

  it('json shows exempted findings apart, with the exemption; --show-exempted lists them in the table', async () => {
    const dir = tempFiles({ 'vm.json': tooSmall(), 'x.json': exemptionFor('2099-01-01') });
    const json = JSON.parse((await cli(['check', `${dir}/vm.json`, '--format', 'json', '--exemptions', `${dir}/x.json`])).stdout);
    expect(json.vms[0].findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('compute.min-size');
    expect(json.vms[0].exempted).toMatchObject([
      {
        ruleId: 'compute.min-size',
        severity: 'error',
        outcome: 'fail',
        exemption: { id: 'build-agent', category: 'waiver', reason: 'A build agent stays on a B1s', expiresOn: '2099-01-01' },
      },
    ]);
    expect(json.summary).toMatchObject({ exempted: 1, failures: { error: 0 }, failed: false });
    const table = await cli(['check', `${dir}/vm.json`, '--show-exempted', '--exemptions', `${dir}/x.json`]);
    expect(table.stdout).toMatch(/EXEMPT\s+compute\.min-size/);
    expect(table.stdout).toMatch(/exempted by build-agent \(waiver, until 2099-01-01\): A build agent stays on a B1s/);
  });

  it('SARIF reports an exempted finding as a suppressed result, with the exemption as its justification', async () => {
    const dir = tempFiles({ 'vm.json': tooSmall(), 'x.json': exemptionFor('2099-01-01') });
    const results = async (...extra: string[]) =>
      JSON.parse((await cli(['check', `${dir}/vm.json`, '--format', 'sarif', ...extra])).stdout).runs[0].results as Json[];
    const exempted = (await results('--exemptions', `${dir}/x.json`)).find((r) => r.ruleId === 'compute.min-size');
    expect(exempted.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'waiver (build-agent): A build agent stays on a B1s; until 2099-01-01' },
    ]);
    // Control: without the exemption the same result is an unsuppressed error.
    const open = (await results()).find((r) => r.ruleId === 'compute.min-size');
    expect(open).toMatchObject({ level: 'error' });
    expect(open.suppressions).toBeUndefined();
  });

  it('the VM tag exempts as a file does; a tag naming another rule does not', async () => {
    const tagged = (value: string) => {
      const doc = tooSmall();
      doc.virtualMachines[0].tags = { 'Vm-Backup-Guard-Exempt': value };
      return doc;
    };
    const dir = tempFiles({ 'yes.json': tagged('compute.min-size: build agent'), 'no.json': tagged('compute.scale-set: unrelated') });
    expect((await cli(['check', `${dir}/yes.json`, '--fail-on', 'error'])).code).toBe(0);
    expect((await cli(['check', `${dir}/no.json`, '--fail-on', 'error'])).code).toBe(1);
  });

  it('an exemptions file naming an unknown rule id is refused (exit 2), naming the entry', async () => {
    const dir = tempFiles({ 'vm.json': tooSmall(), 'bad.json': { exemptions: [{ ...exemptionFor(null).exemptions[0], rules: ['compute.min-sise'] }] } });
    const run = await cli(['check', `${dir}/vm.json`, '--exemptions', `${dir}/bad.json`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exemptions[0].rules: unknown rule id "compute.min-sise"');
  });
});
