import { describe, expect, it } from 'vitest';
import { parseArmId } from '../../core/armModel/armId.js';

// Ids as ARM writes them take a fast path (no trim, no regex); odd spellings must parse exactly as before.
const CASES: [string, ReturnType<typeof parseArmId>][] = [
  [
    '/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm1',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.compute/virtualmachines', name: 'vm1' },
  ],
  [
    '/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/Microsoft.Compute/virtualMachines/vm1/',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.compute/virtualmachines', name: 'vm1' },
  ],
  [
    '  /subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm1  ',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.compute/virtualmachines', name: 'vm1' },
  ],
  [
    '//subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm1',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.compute/virtualmachines', name: 'vm1' },
  ],
  [
    'subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm1',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.compute/virtualmachines', name: 'vm1' },
  ],
  [
    '/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Authorization/locks/l1',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.authorization/locks', name: 'l1' },
  ],
  [
    '/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/3',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.compute/virtualmachinescalesets/virtualmachines', name: '3' },
  ],
  [
    '/subscriptions/S1/resourceGroups/RG/providers/Microsoft.RecoveryServices/vaults/v/backupFabrics/Azure/protectionContainers/c;x/protectedItems/VM;y',
    { subscriptionId: 'S1', resourceGroup: 'RG', type: 'microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems', name: 'VM;y' },
  ],
  ['/subscriptions/S1/resourceGroups/RG', { subscriptionId: 'S1', resourceGroup: 'RG', type: null, name: null }],
  [
    '/subscriptions/S1/providers/Microsoft.Authorization/locks/l',
    { subscriptionId: 'S1', resourceGroup: null, type: 'microsoft.authorization/locks', name: 'l' },
  ],
  ['/subscriptions/S1/resourceGroups/subscriptions/providers/A.B/c/d', { subscriptionId: 'S1', resourceGroup: 'subscriptions', type: 'a.b/c', name: 'd' }],
  [
    '/providers/Microsoft.Management/managementGroups/mg',
    { subscriptionId: null, resourceGroup: null, type: 'microsoft.management/managementgroups', name: 'mg' },
  ],
  ['/', { subscriptionId: null, resourceGroup: null, type: null, name: null }],
  ['', { subscriptionId: null, resourceGroup: null, type: null, name: null }],
  ['x', { subscriptionId: null, resourceGroup: null, type: null, name: null }],
  ['/subscriptions/', { subscriptionId: null, resourceGroup: null, type: null, name: null }],
  ['/subscriptions//resourceGroups/RG/providers/A.B/c/d//', { subscriptionId: '', resourceGroup: 'RG', type: 'a.b/c', name: 'd' }],
  ['/subscriptions/S1/resourceGroups/RG/providers/A.B/c', { subscriptionId: 'S1', resourceGroup: 'RG', type: null, name: null }],
  ['/subscriptions/S1/resourceGroups/RG/providers/A.B/c/d/e', { subscriptionId: 'S1', resourceGroup: 'RG', type: 'a.b/c', name: 'd' }],
  ['/Subscriptions/S1/ResourceGroups/RG/Providers/A.B/c/d/Providers/X.Y/z/w/k/v', { subscriptionId: 'S1', resourceGroup: 'RG', type: 'x.y/z/k', name: 'v' }],
  ['\t/subscriptions/S1/resourceGroups/RG/providers/A.B/c/d/\n', { subscriptionId: 'S1', resourceGroup: 'RG', type: 'a.b/c', name: 'd' }],
];

describe('parseArmId', () => {
  it.each(CASES)('%j', (id, parsed) => {
    expect(parseArmId(id)).toEqual(parsed);
  });
});
