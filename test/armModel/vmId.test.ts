import { describe, expect, it } from 'vitest';
import { parseVmId, vmIdFrom } from '../../core/armModel/vmId.js';

const SUB = '11111111-2222-3333-4444-555555555555';
const VM = `/subscriptions/${SUB}/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/vm-01`;

describe('parseVmId', () => {
  const rows: { name: string; id: string; expected: { subscriptionId: string; resourceGroup: string; name: string; key: string } | null }[] = [
    {
      name: 'an ARM VM id: parts as spelt, the key lower-cased',
      id: VM,
      expected: { subscriptionId: SUB, resourceGroup: 'RG-App', name: 'vm-01', key: VM.toLowerCase() },
    },
    {
      name: 'segment names in any case',
      id: VM.replace('/resourceGroups/', '/RESOURCEGROUPS/').replace('/subscriptions/', '/Subscriptions/'),
      expected: { subscriptionId: SUB, resourceGroup: 'RG-App', name: 'vm-01', key: VM.toLowerCase() },
    },
    {
      name: 'a trailing slash is not part of the key',
      id: `${VM}/`,
      expected: { subscriptionId: SUB, resourceGroup: 'RG-App', name: 'vm-01', key: VM.toLowerCase() },
    },
    { name: 'no resource group', id: `/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachines/vm-01`, expected: null },
    { name: 'no name', id: `/subscriptions/${SUB}/resourceGroups/rg`, expected: null },
    { name: 'not an id', id: 'vm-01', expected: null },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const parsed = parseVmId(row.id);
      if (row.expected === null) expect(parsed).toBeNull();
      else expect(parsed).toEqual({ id: row.id, ...row.expected });
    });
  }

  it('vmIdFrom throws on what parseVmId refuses, with the message the ARM reader gave before', () => {
    expect(() => vmIdFrom('vm-01')).toThrow('not a virtual machine id: vm-01');
    expect(vmIdFrom(VM).name).toBe('vm-01');
  });
});
