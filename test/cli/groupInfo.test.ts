import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanInventory, type Json } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

/** Three copies of the clean VM, renamed, without a diagnostic settings list: each has the same info finding. */
function fleet(): Json {
  const doc = cleanInventory();
  delete doc.diagnosticSettings;
  const vm = doc.virtualMachines[0];
  doc.virtualMachines = ['vm-a', 'vm-b', 'vm-c'].map((name) => ({ ...structuredClone(vm), id: vm.id.replace('vm-app-01', name), name }));
  return doc;
}

describe('check --format table groups identical info findings', () => {
  it('prints a sentence shared by several VMs once, with a count; JSON keeps it per VM', async () => {
    const dir = tempFiles({ 'fleet.json': fleet() });
    const table = (await cli(['check', join(dir, 'fleet.json'), '--matrix', '2026-03', '--format', 'table'])).stdout;
    expect(table.match(/UNKNOWN +compute\.diagnostic-settings/g)).toHaveLength(1);
    expect(table).toContain('Info findings shared by several VMs');
    expect(table).toContain('on 3 VMs: vm-a, vm-b, vm-c');
    expect(table).toContain('+ 1 info finding shared with other VMs (below)');
    const json = JSON.parse((await cli(['check', join(dir, 'fleet.json'), '--matrix', '2026-03', '--format', 'json'])).stdout);
    for (const vm of json.vms) expect(vm.findings.map((f: Json) => f.ruleId)).toContain('compute.diagnostic-settings');
  });
  it('keeps an info finding seen on one VM only with its VM', async () => {
    const doc = fleet();
    doc.virtualMachines = doc.virtualMachines.slice(0, 1);
    const dir = tempFiles({ 'one.json': doc });
    const table = (await cli(['check', join(dir, 'one.json'), '--matrix', '2026-03', '--format', 'table'])).stdout;
    expect(table).not.toContain('Info findings shared by several VMs');
    expect(table).toContain('compute.diagnostic-settings');
  });
});
