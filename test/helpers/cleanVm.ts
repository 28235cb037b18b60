/**
 * A VM that passes every rule of every edition, with every resource it references, in REST shape. Tests copy it
 * and change one thing, so each test shows exactly which ARM field moves a rule's outcome.
 */
export const SUB = '11111111-2222-3333-4444-555555555555';
export const OTHER_SUB = '99999999-8888-7777-6666-555555555555';
export const RG = `/subscriptions/${SUB}/resourceGroups/rg-app`;
export const VM_ID = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-app-01`;
export const OS_DISK_ID = `${RG}/providers/Microsoft.Compute/disks/vm-app-01-os`;
export const DATA_DISK_ID = `${RG}/providers/Microsoft.Compute/disks/vm-app-01-data0`;
export const NIC_ID = `${RG}/providers/Microsoft.Network/networkInterfaces/vm-app-01-nic`;
export const PIP_ID = `${RG}/providers/Microsoft.Network/publicIPAddresses/vm-app-01-pip`;
export const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-westeurope`;
export const POLICY_ID = `${VAULT_ID}/backupPolicies/daily-30d`;
export const ITEM_ID = `${VAULT_ID}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-app;vm-app-01/protectedItems/VM;iaasvmcontainerv2;rg-app;vm-app-01`;

/** JSON-shaped values: tests reach into them freely. */
// biome-ignore lint: test data is deliberately loose
export type Json = any;

export function cleanInventory(): Json {
  return structuredClone({
    virtualMachines: [
      {
        id: VM_ID,
        name: 'vm-app-01',
        type: 'Microsoft.Compute/virtualMachines',
        location: 'westeurope',
        properties: {
          hardwareProfile: { vmSize: 'Standard_D2s_v3' },
          storageProfile: {
            imageReference: { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2016-Datacenter', version: 'latest' },
            osDisk: {
              osType: 'Windows',
              name: 'vm-app-01-os',
              createOption: 'FromImage',
              diskSizeGB: 128,
              managedDisk: { id: OS_DISK_ID, storageAccountType: 'Premium_LRS' },
            },
            dataDisks: [
              {
                lun: 0,
                name: 'vm-app-01-data0',
                createOption: 'Attach',
                diskSizeGB: 256,
                managedDisk: { id: DATA_DISK_ID, storageAccountType: 'Premium_LRS' },
              },
            ],
          },
          osProfile: { computerName: 'vm-app-01', adminUsername: 'azureuser', windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true } },
          networkProfile: { networkInterfaces: [{ id: NIC_ID, properties: { primary: true } }] },
          instanceView: {
            osName: 'Windows Server 2016 Datacenter',
            osVersion: 'Microsoft Windows NT 10.0.14393.0',
            vmAgent: { vmAgentVersion: '2.7.41491.1102', statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Ready' }] },
            statuses: [
              { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' },
              { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' },
            ],
          },
        },
      },
    ],
    disks: [
      {
        id: OS_DISK_ID,
        name: 'vm-app-01-os',
        type: 'Microsoft.Compute/disks',
        location: 'westeurope',
        managedBy: VM_ID,
        sku: { name: 'Premium_LRS' },
        properties: { osType: 'Windows', diskSizeGB: 128, diskState: 'Attached' },
      },
      {
        id: DATA_DISK_ID,
        name: 'vm-app-01-data0',
        type: 'Microsoft.Compute/disks',
        location: 'westeurope',
        managedBy: VM_ID,
        sku: { name: 'Premium_LRS' },
        properties: { diskSizeGB: 256, diskState: 'Attached' },
      },
    ],
    networkInterfaces: [
      {
        id: NIC_ID,
        name: 'vm-app-01-nic',
        type: 'Microsoft.Network/networkInterfaces',
        location: 'westeurope',
        properties: {
          ipConfigurations: [
            { name: 'ipconfig1', id: `${NIC_ID}/ipConfigurations/ipconfig1`, properties: { privateIPAllocationMethod: 'Dynamic', primary: true } },
          ],
          virtualMachine: { id: VM_ID },
        },
      },
    ],
    publicIpAddresses: [],
    storageAccounts: [],
    protectedItems: [
      {
        id: ITEM_ID,
        name: 'VM;iaasvmcontainerv2;rg-app;vm-app-01',
        type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems',
        properties: {
          backupManagementType: 'AzureIaasVM',
          protectedItemType: 'Microsoft.Compute/virtualMachines',
          workloadType: 'VM',
          sourceResourceId: VM_ID,
          virtualMachineId: VM_ID,
          policyId: POLICY_ID,
          protectionState: 'Protected',
        },
      },
    ],
    policies: [
      {
        id: POLICY_ID,
        name: 'daily-30d',
        type: 'Microsoft.RecoveryServices/vaults/backupPolicies',
        properties: {
          backupManagementType: 'AzureIaasVM',
          schedulePolicy: {
            schedulePolicyType: 'SimpleSchedulePolicy',
            scheduleRunFrequency: 'Daily',
            scheduleRunTimes: ['2018-01-24T02:00:00Z'],
            scheduleWeeklyFrequency: 0,
          },
          retentionPolicy: {
            retentionPolicyType: 'LongTermRetentionPolicy',
            dailySchedule: { retentionTimes: ['2018-01-24T02:00:00Z'], retentionDuration: { count: 30, durationType: 'Days' } },
            weeklySchedule: { daysOfTheWeek: ['Sunday'], retentionTimes: ['2018-01-24T02:00:00Z'], retentionDuration: { count: 12, durationType: 'Weeks' } },
          },
          instantRpRetentionRangeInDays: 2,
          timeZone: 'UTC',
          protectedItemsCount: 1,
        },
      },
    ],
    vaults: [
      {
        id: VAULT_ID,
        name: 'rsv-westeurope',
        type: 'Microsoft.RecoveryServices/vaults',
        location: 'westeurope',
        sku: { name: 'RS0', tier: 'Standard' },
        properties: {},
      },
    ],
    locks: [],
    // Listed, and empty: the document vouches that its VM has no diagnostic settings (compute.diagnostic-settings).
    diagnosticSettings: [],
  });
}
