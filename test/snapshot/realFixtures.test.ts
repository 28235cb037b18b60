import { describe, expect, it } from 'vitest';
import { vmSnapshot } from '../../core/snapshot/vmSnapshot.js';
import { expectRule } from '../helpers/expectRule.js';
import { snapshotOf } from '../helpers/evaluateDocument.js';
import { fixtureBody } from '../helpers/fixtures.js';

// Real REST API examples (test/fixtures/arm, from Azure/azure-rest-api-specs), joined to a VM that references them.
const disk = fixtureBody('Disk_Get.json');
const nic = fixtureBody('NetworkInterfaceGet.json');
const policy = fixtureBody('ProtectionPolicies_Get.json');
const instanceView = fixtureBody('VirtualMachine_Get_InstanceView.json');

const VM_ID = '/subscriptions/{subscriptionId}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM';
const VAULT_ID =
  '/Subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/SwaggerTestRg/providers/Microsoft.RecoveryServices/vaults/NetSDKTestRsVault';

function inventory(options: { diskAs: 'os' | 'data' }) {
  const diskRef = { name: 'myManagedDisk', createOption: 'Attach', managedDisk: { id: disk.id.toUpperCase() } };
  return {
    virtualMachines: [
      {
        id: VM_ID,
        name: 'myVM',
        type: 'Microsoft.Compute/virtualMachines',
        location: 'West US',
        properties: {
          hardwareProfile: { vmSize: 'Standard_DS3_v2' },
          storageProfile:
            options.diskAs === 'os'
              ? { osDisk: { ...diskRef, osType: 'Windows' }, dataDisks: [] }
              : {
                  imageReference: { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2016-Datacenter', version: 'latest' },
                  osDisk: {
                    name: 'myOsDisk',
                    osType: 'Windows',
                    createOption: 'FromImage',
                    diskSizeGB: 127,
                    managedDisk: {
                      storageAccountType: 'Premium_LRS',
                      id: '/subscriptions/{subscriptionId}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myOsDisk',
                    },
                  },
                  dataDisks: [{ ...diskRef, lun: 0 }],
                },
          networkProfile: { networkInterfaces: [{ id: nic.id }] },
          instanceView,
        },
      },
    ],
    disks: [disk],
    networkInterfaces: [nic],
    protectedItems: [
      {
        id: `${VAULT_ID}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;myResourceGroup;myVM/protectedItems/VM;iaasvmcontainerv2;myResourceGroup;myVM`,
        type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems',
        properties: {
          protectedItemType: 'Microsoft.Compute/virtualMachines',
          sourceResourceId: VM_ID.toLowerCase(),
          policyId: policy.id,
          protectionState: 'Protected',
        },
      },
    ],
    policies: [policy],
    vaults: [{ id: VAULT_ID, type: 'Microsoft.RecoveryServices/vaults', location: 'westus' }],
  };
}

describe('builders on the real REST examples', () => {
  it('build a snapshot the VmSnapshot schema accepts', () => {
    const snapshot = snapshotOf(inventory({ diskAs: 'data' }));
    expect(vmSnapshot.safeParse(snapshot).success).toBe(true);
    expect(snapshot.location).toBe('westus');
  });

  it('read the instance view: OS, agent, power state', () => {
    const snapshot = snapshotOf(inventory({ diskAs: 'data' }));
    expect(snapshot.os).toMatchObject({ family: 'windows', distribution: 'windows-server', version: '2016', edition: 'datacenter', source: 'guest' });
    expect(snapshot.agent).toMatchObject({ instanceViewPresent: true, version: '2.7.41491.949', status: 'Ready' });
    expect(snapshot.powerState).toBe('running');
    expect(snapshot.extensions.types).toEqual(['iaasantimalware']);
  });

  it('join the disk by id case-insensitively, its resource overriding the VM model', () => {
    const snapshot = snapshotOf(inventory({ diskAs: 'data' }));
    expect(snapshot.disks[1]).toMatchObject({
      role: 'data',
      resourceKnown: true,
      storageType: 'Standard_LRS',
      sizeGiB: 10,
      adeEnabled: true,
      securityType: 'TrustedLaunch',
    });
    // The example OS disk is referenced but not in the data: named, not guessed.
    expect(snapshot.missing).toEqual([
      'managed disk /subscriptions/{subscriptionId}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myOsDisk',
      'public IP address /subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/test-ip',
    ]);
  });

  it('read the NIC: two ip configurations, one public IP reference not in the data', () => {
    const snapshot = snapshotOf(inventory({ diskAs: 'data' }));
    expect(snapshot.nics).toEqual([
      {
        id: nic.id,
        known: true,
        inline: false,
        ipConfigurations: [
          {
            name: 'ipconfig1',
            publicIp: { id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/publicIPAddresses/test-ip', known: false, allocation: null },
            loadBalancerBackendPools: 0,
            inboundNatRules: 0,
          },
          { name: 'ipconfig2', publicIp: null, loadBalancerBackendPools: 0, inboundNatRules: 0 },
        ],
      },
    ]);
  });

  it('read the policy: daily once, 1 recovery point, Pacific time', () => {
    const snapshot = snapshotOf(inventory({ diskAs: 'data' }));
    expect(snapshot.protection.status).toBe('protected');
    expect(snapshot.protection.policy).toMatchObject({
      known: true,
      schedule: { policyType: 'V1', frequency: 'Daily', runsPerDay: 1, hourlyInterval: null },
      recoveryPoints: 1,
      timeZone: 'Pacific Standard Time',
    });
    expect(snapshot.protection.vault).toMatchObject({ known: true, location: 'westus', subscriptionId: '00000000-0000-0000-0000-000000000000' });
  });

  it('give the outcomes the spec implies', () => {
    const asData = inventory({ diskAs: 'data' });
    expectRule(asData, '2026-03', 'security.data-disk-security-type', 'fail', 'error');
    expectRule(asData, '2019-02', 'storage.ade', 'fail', 'warning');
    expectRule(asData, '2019-02', 'network.public-ip', 'fail', 'info');
    expectRule(asData, '2019-02', 'network.reserved-ip', 'unknown', 'info');
    expectRule(asData, '2019-02', 'policy.daylight-saving', 'fail', 'info');
    expectRule(asData, '2019-02', 'policy.schedule', 'pass');
    expectRule(asData, '2019-02', 'vault.region', 'pass');
    expectRule(asData, '2019-02', 'vault.subscription', 'fail', 'error');
    expectRule(asData, '2026-03', 'vault.subscription', 'pass');
    expectRule(asData, '2019-02', 'agent.ready', 'pass');
    expectRule(asData, '2019-02', 'os.windows-server-version', 'pass');
    // As the OS disk of a VM created from it, the same disk is not a data disk with a security type.
    expectRule(inventory({ diskAs: 'os' }), '2026-03', 'security.data-disk-security-type', 'pass');
    expectRule(inventory({ diskAs: 'os' }), '2019-02', 'compute.image-source', 'unknown', 'info');
  });
});
