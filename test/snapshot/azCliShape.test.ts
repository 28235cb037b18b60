import { describe, expect, it } from 'vitest';
import { expectRule } from '../helpers/expectRule.js';
import { snapshotOf } from '../helpers/evaluateDocument.js';

// `az vm show -d`, `az disk show`, `az network nic show`, `az network public-ip show`: properties flattened to the
// top level, and the Python SDK's spelling of names (diskSizeGb, publicIpAddress, privateIpAllocationMethod).
const sub = '/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/RG-CLI';
const vmId = `${sub}/providers/Microsoft.Compute/virtualMachines/vm-cli`;
const diskId = `${sub}/providers/Microsoft.Compute/disks/vm-cli_OsDisk_1`;
const nicId = `${sub}/providers/Microsoft.Network/networkInterfaces/vm-cliVMNic`;
const pipId = `${sub}/providers/Microsoft.Network/publicIPAddresses/vm-cliPublicIP`;

const azInventory = {
  virtualMachines: [
    {
      id: vmId,
      name: 'vm-cli',
      type: 'Microsoft.Compute/virtualMachines',
      location: 'eastus',
      resourceGroup: 'RG-CLI',
      zones: null,
      availabilitySet: null,
      virtualMachineScaleSet: null,
      plan: null,
      powerState: 'VM running',
      publicIps: '20.1.2.3',
      hardwareProfile: { vmSize: 'Standard_B2s', vmSizeProperties: null },
      osProfile: {
        computerName: 'vm-cli',
        adminUsername: 'azureuser',
        linuxConfiguration: { disablePasswordAuthentication: true, provisionVmAgent: true },
        windowsConfiguration: null,
      },
      storageProfile: {
        imageReference: {
          publisher: 'Canonical',
          offer: '0001-com-ubuntu-server-jammy',
          sku: '22_04-lts-gen2',
          version: 'latest',
          exactVersion: '22.04.202401010',
        },
        osDisk: {
          osType: 'Linux',
          name: 'vm-cli_OsDisk_1',
          diskSizeGb: 30,
          writeAcceleratorEnabled: null,
          managedDisk: { id: diskId, storageAccountType: 'Premium_LRS' },
          vhd: null,
          encryptionSettings: null,
        },
        dataDisks: [],
      },
      networkProfile: { networkInterfaces: [{ id: nicId, primary: null, resourceGroup: 'RG-CLI' }], networkInterfaceConfigurations: null },
      securityProfile: { securityType: 'TrustedLaunch', uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
      resources: [
        {
          id: `${vmId}/extensions/AzureDiskEncryptionForLinux`,
          name: 'AzureDiskEncryptionForLinux',
          publisher: 'Microsoft.Azure.Security',
          typePropertiesType: 'AzureDiskEncryptionForLinux',
          type: 'Microsoft.Compute/virtualMachines/extensions',
        },
      ],
    },
  ],
  disks: [
    {
      id: diskId,
      name: 'vm-cli_OsDisk_1',
      type: 'Microsoft.Compute/disks',
      diskSizeGb: 64,
      sku: { name: 'Premium_LRS', tier: 'Premium' },
      maxShares: null,
      dataAccessAuthMode: null,
      osType: 'Linux',
      encryptionSettingsCollection: null,
    },
  ],
  networkInterfaces: [
    {
      id: nicId,
      name: 'vm-cliVMNic',
      type: 'Microsoft.Network/networkInterfaces',
      ipConfigurations: [
        {
          name: 'ipconfigvm-cli',
          privateIpAllocationMethod: 'Dynamic',
          publicIpAddress: { id: pipId, resourceGroup: 'RG-CLI' },
          loadBalancerBackendAddressPools: null,
          loadBalancerInboundNatRules: null,
        },
      ],
      virtualMachine: { id: vmId, resourceGroup: 'RG-CLI' },
    },
  ],
  publicIpAddresses: [
    { id: pipId, name: 'vm-cliPublicIP', type: 'Microsoft.Network/publicIPAddresses', publicIpAllocationMethod: 'Static', sku: { name: 'Standard' } },
  ],
};

describe('az CLI output shape', () => {
  it('is read like the REST shape', () => {
    const s = snapshotOf(azInventory);
    expect(s.os).toMatchObject({ family: 'linux', distribution: 'ubuntu', version: '22.04', source: 'image' });
    expect(s.agent.provisionVmAgent).toBe(true);
    expect(s.powerState).toBe('running');
    expect(s.disks[0]).toMatchObject({ sizeGiB: 64, storageType: 'Premium_LRS', resourceKnown: true });
    expect(s.nics[0]!.ipConfigurations[0]!.publicIp).toEqual({ id: pipId, known: true, allocation: 'static' });
    expect(s.extensions.types).toEqual(['azurediskencryptionforlinux']);
    expect(s.securityType).toBe('TrustedLaunch');
    expect(s.size).toEqual({ name: 'Standard_B2s', vCpus: 2, memoryGiB: 4, vCpusAvailable: null });
  });
  it('gives the same outcomes', () => {
    expectRule(azInventory, '2019-02', 'network.reserved-ip', 'fail', 'error');
    expectRule(azInventory, '2019-02', 'storage.ade', 'fail', 'warning');
    expectRule(azInventory, '2026-03', 'consistency.vm-not-running', 'pass');
    expectRule(azInventory, '2026-03', 'security.trusted-launch-policy', 'notApplicable');
  });
});
