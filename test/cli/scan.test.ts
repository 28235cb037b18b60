import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmAccess } from '../../core/inventory/arm/armAccess.js';
import { cleanInventory, RG, SUB, type Json } from '../helpers/cleanVm.js';
import { startFakeArm, type FakeArm } from '../helpers/fakeArm.js';
import { cli } from '../helpers/runCliInProcess.js';

let arm: FakeArm;
let azure: ArmAccess;
beforeAll(async () => {
  arm = await startFakeArm();
  azure = {
    credential: arm.credential,
    endpoint: 'https://management.azure.com',
    httpClient: arm.httpClient,
    retry: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
  };
  const clean = cleanInventory();
  const broken = cleanInventory();
  const vm = broken.virtualMachines[0];
  vm.id = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-small`;
  vm.name = 'vm-small';
  vm.properties.hardwareProfile.vmSize = 'Standard_B1s';
  broken.protectedItems = [];
  for (const doc of [clean, broken] as Json[]) for (const list of Object.values(doc)) arm.put(...(list as Record<string, unknown>[]));
  arm.skus = [
    {
      resourceType: 'virtualMachines',
      name: 'Standard_B1s',
      capabilities: [
        { name: 'vCPUs', value: '1' },
        { name: 'MemoryGB', value: '1' },
      ],
    },
  ];
});
afterAll(() => arm.close());

describe('scan', () => {
  it('reads every VM of the subscription live and checks it', async () => {
    const run = await cli(['scan', '--subscription', SUB, '--format', 'json'], { azure });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/reading VMs \[#+\] 2\/2/);
    const report = JSON.parse(run.stdout);
    expect(report.vms.map((v: Json) => v.name)).toEqual(['vm-app-01', 'vm-small']);
    expect(report.vms[0].findings).toEqual([]);
    expect(report.vms[1].findings.map((f: Json) => f.ruleId)).toEqual(['compute.min-size']);
    // The size came from the SKUs API of the VM's region.
    expect(arm.requests.some((r) => /\/providers\/Microsoft\.Compute\/skus$/i.test(r.path))).toBe(true);
  });

  it('names a VM it could not read and exits 3 (a service refused)', async () => {
    arm.fail('/virtualmachines/vm-small', { status: 403, times: 1 });
    const run = await cli(['scan', '--subscription', SUB, '--format', 'json'], { azure });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error: could not read .*vm-small/);
    expect(JSON.parse(run.stdout).vms.map((v: Json) => v.name)).toEqual(['vm-app-01']);
  });

  it('refuses a bad subscription id and a missing credential choice', async () => {
    expect((await cli(['scan', '--subscription', "x' or 1"])).stderr).toContain('--subscription must be a subscription id');
    expect((await cli(['scan', '--subscription', SUB])).stderr).toContain('--auth must be azure-cli or default');
  });
});
