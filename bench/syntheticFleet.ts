/**
 * A deterministic synthetic fleet in REST shape: VMs with disks, NICs, public IPs, protection, policies and locks,
 * varied enough that every rule takes both branches. Used by the benchmarks only.
 */
const SIZES = ['Standard_D2s_v3', 'Standard_B1s', 'Standard_E4s_v5', 'Standard_D4as_v5', 'Standard_F2s_v2', 'Standard_M64s', 'Standard_DC4as_v6'];
const IMAGES = [
  { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2019-Datacenter', osType: 'Windows' },
  { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2012-R2-Datacenter', osType: 'Windows' },
  { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', osType: 'Linux' },
  { publisher: 'RedHat', offer: 'RHEL', sku: '8.6', osType: 'Linux' },
  { publisher: 'MicrosoftWindowsDesktop', offer: 'Windows-11', sku: 'win11-23h2-pro', osType: 'Windows' },
];
const DISK_TYPES = ['Premium_LRS', 'StandardSSD_LRS', 'Standard_LRS', 'PremiumV2_LRS', 'UltraSSD_LRS'];
const REGIONS = ['westeurope', 'northeurope', 'eastus'];

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same fleet. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticFleet {
  virtualMachines: unknown[];
  disks: unknown[];
  networkInterfaces: unknown[];
  publicIpAddresses: unknown[];
  protectedItems: unknown[];
  policies: unknown[];
  vaults: unknown[];
  locks: unknown[];
}

export interface FleetOptions {
  /** Also emit the disks, NICs, public IPs and protected items the VMs reference. */
  withResources: boolean;
  /**
   * VMs carry everything a real `GET ...?$expand=instanceView` returns (tags, vmId, caching, patch settings,
   * diagnostics, extension and disk statuses...), not only what the rules read: real list files look like this.
   */
  realistic?: boolean;
  /** Share of VMs with a protected item (default 0.7). */
  protectedShare?: number;
  /** The fleet's subscription (default: one fixed id); a multi-subscription fleet is one call per subscription. */
  subscriptionId?: string;
  /** VM names are `<namePrefix><number>` (default `vm-`): unique names across subscriptions need distinct prefixes. */
  namePrefix?: string;
  /** Seed of the generator (default 42), so subscriptions of one fleet differ but every run is the same. */
  seed?: number;
}

export function syntheticFleet(count: number, options: FleetOptions = { withResources: true }): SyntheticFleet {
  const random = prng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sub = options.subscriptionId ?? '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
  const vault = `/subscriptions/${sub}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-westeurope`;
  const fleet: SyntheticFleet = {
    virtualMachines: [],
    disks: [],
    networkInterfaces: [],
    publicIpAddresses: [],
    protectedItems: [],
    policies: [
      {
        id: `${vault}/backupPolicies/daily`,
        type: 'Microsoft.RecoveryServices/vaults/backupPolicies',
        properties: {
          backupManagementType: 'AzureIaasVM',
          schedulePolicy: { schedulePolicyType: 'SimpleSchedulePolicy', scheduleRunFrequency: 'Daily', scheduleRunTimes: ['2024-01-01T02:00:00Z'] },
          retentionPolicy: {
            retentionPolicyType: 'LongTermRetentionPolicy',
            dailySchedule: { retentionTimes: ['2024-01-01T02:00:00Z'], retentionDuration: { count: 30, durationType: 'Days' } },
          },
          timeZone: 'W. Europe Standard Time',
        },
      },
      {
        id: `${vault}/backupPolicies/hourly`,
        type: 'Microsoft.RecoveryServices/vaults/backupPolicies',
        properties: {
          backupManagementType: 'AzureIaasVM',
          policyType: 'V2',
          schedulePolicy: {
            schedulePolicyType: 'SimpleSchedulePolicyV2',
            scheduleRunFrequency: 'Hourly',
            hourlySchedule: { interval: 4, scheduleWindowDuration: 24 },
          },
          retentionPolicy: {
            retentionPolicyType: 'LongTermRetentionPolicy',
            dailySchedule: { retentionTimes: ['2024-01-01T02:00:00Z'], retentionDuration: { count: 30, durationType: 'Days' } },
          },
          timeZone: 'UTC',
        },
      },
    ],
    vaults: [{ id: vault, type: 'Microsoft.RecoveryServices/vaults', location: 'westeurope' }],
    locks: [
      {
        id: `/subscriptions/${sub}/resourceGroups/rg-7/providers/Microsoft.Authorization/locks/nodelete`,
        type: 'Microsoft.Authorization/locks',
        properties: { level: 'CanNotDelete' },
      },
    ],
  };
  for (let i = 0; i < count; i++) {
    const rg = `/subscriptions/${sub}/resourceGroups/rg-${i % 50}`;
    const name = `${options.namePrefix ?? 'vm-'}${String(i).padStart(6, '0')}`;
    const id = `${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
    const image = pick(IMAGES);
    const location = pick(REGIONS);
    const dataDiskCount = random() < 0.02 ? 20 : Math.floor(random() * 4);
    const osDiskId = `${rg}/providers/Microsoft.Compute/disks/${name}-os`;
    const dataDisks = Array.from({ length: dataDiskCount }, (_, lun) => {
      const diskId = `${rg}/providers/Microsoft.Compute/disks/${name}-data${lun}`;
      const type = pick(DISK_TYPES);
      const size = random() < 0.05 ? 8192 : 256;
      if (options.withResources)
        fleet.disks.push({
          id: diskId,
          type: 'Microsoft.Compute/disks',
          managedBy: id,
          sku: { name: type },
          properties: { diskSizeGB: size, maxShares: random() < 0.03 ? 2 : 1 },
        });
      return {
        lun,
        name: `${name}-data${lun}`,
        createOption: 'Attach',
        diskSizeGB: size,
        writeAcceleratorEnabled: random() < 0.02,
        managedDisk: { id: diskId, storageAccountType: type },
      };
    });
    if (options.withResources)
      fleet.disks.push({
        id: osDiskId,
        type: 'Microsoft.Compute/disks',
        managedBy: id,
        sku: { name: 'Premium_LRS' },
        properties: { diskSizeGB: 128, osType: image.osType },
      });
    const nicId = `${rg}/providers/Microsoft.Network/networkInterfaces/${name}-nic`;
    const pipId = random() < 0.3 ? `${rg}/providers/Microsoft.Network/publicIPAddresses/${name}-pip` : null;
    if (options.withResources) {
      fleet.networkInterfaces.push({
        id: nicId,
        type: 'Microsoft.Network/networkInterfaces',
        properties: {
          ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAllocationMethod: 'Dynamic', ...(pipId ? { publicIPAddress: { id: pipId } } : {}) } }],
          virtualMachine: { id },
        },
      });
      if (pipId)
        fleet.publicIpAddresses.push({
          id: pipId,
          type: 'Microsoft.Network/publicIPAddresses',
          properties: { publicIPAllocationMethod: random() < 0.5 ? 'Static' : 'Dynamic' },
        });
      if (random() < (options.protectedShare ?? 0.7)) {
        fleet.protectedItems.push({
          id: `${vault}/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg-${i % 50};${name}/protectedItems/VM;iaasvmcontainerv2;rg-${i % 50};${name}`,
          type: 'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems',
          properties: {
            backupManagementType: 'AzureIaasVM',
            protectedItemType: 'Microsoft.Compute/virtualMachines',
            sourceResourceId: id,
            policyId: `${vault}/backupPolicies/${random() < 0.8 ? 'daily' : 'hourly'}`,
            protectionState: 'Protected',
          },
        });
      }
    }
    const running = random() < 0.9;
    const vm = {
      id,
      name,
      type: 'Microsoft.Compute/virtualMachines',
      location,
      ...(random() < 0.1 ? { zones: ['1'] } : {}),
      properties: {
        hardwareProfile: { vmSize: pick(SIZES) },
        storageProfile: {
          imageReference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version: 'latest' },
          osDisk: {
            osType: image.osType,
            name: `${name}-os`,
            createOption: 'FromImage',
            diskSizeGB: 128,
            managedDisk: { id: osDiskId, storageAccountType: 'Premium_LRS' },
          },
          dataDisks,
        },
        osProfile: {
          computerName: name,
          adminUsername: 'azureuser',
          [image.osType === 'Windows' ? 'windowsConfiguration' : 'linuxConfiguration']: { provisionVMAgent: true },
        },
        networkProfile: { networkInterfaces: [{ id: nicId }] },
        ...(random() < 0.2 ? { securityProfile: { securityType: 'TrustedLaunch' } } : {}),
        instanceView: {
          vmAgent: {
            vmAgentVersion: '2.7.41491.1102',
            statuses: [{ code: 'ProvisioningState/succeeded', displayStatus: random() < 0.95 ? 'Ready' : 'Not Ready' }],
          },
          statuses: [{ code: 'ProvisioningState/succeeded' }, { code: running ? 'PowerState/running' : 'PowerState/deallocated' }],
        },
      },
    };
    fleet.virtualMachines.push(options.realistic ? withRealDetail(vm, image.osType) : vm);
  }
  return fleet;
}

/** The fields a real VM GET with the instance view carries beside those the rules read (shape of the REST examples). */
// biome-ignore lint/suspicious/noExplicitAny: the bench copies a REST example's free-form properties and adds to them.
function withRealDetail(vm: { id: string; name: string; properties: any }, osType: string): unknown {
  const p = vm.properties;
  const time = '2025-06-27T01:02:38.3138469+00:00';
  const diskStatus = (name: string) => ({
    name,
    statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded', time }],
  });
  Object.assign(p.storageProfile.osDisk, { caching: 'ReadWrite', deleteOption: 'Delete', diskControllerType: 'SCSI' });
  for (const d of p.storageProfile.dataDisks) Object.assign(d, { caching: 'ReadOnly', deleteOption: 'Detach', toBeDetached: false });
  const config = p.osProfile.windowsConfiguration ?? p.osProfile.linuxConfiguration;
  Object.assign(
    config,
    osType === 'Windows'
      ? { enableAutomaticUpdates: true, patchSettings: { patchMode: 'AutomaticByOS', assessmentMode: 'ImageDefault', enableHotpatching: false } }
      : { disablePasswordAuthentication: true, patchSettings: { patchMode: 'ImageDefault', assessmentMode: 'ImageDefault' } },
  );
  Object.assign(p.osProfile, { secrets: [], allowExtensionOperations: true, requireGuestProvisionSignal: true });
  Object.assign(p, {
    vmId: '0f47b100-583c-48e3-a4c0-aefc2c9bbcc1',
    diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    extensionsTimeBudget: 'PT1H30M',
    provisioningState: 'Succeeded',
    timeCreated: time,
  });
  p.networkProfile.networkInterfaces[0].properties = { primary: true, deleteOption: 'Detach' };
  Object.assign(p.instanceView, {
    computerName: vm.name,
    osName: osType === 'Windows' ? 'Windows Server 2019 Datacenter' : 'ubuntu',
    osVersion: osType === 'Windows' ? 'Microsoft Windows NT 10.0.17763.0' : '22.04',
    hyperVGeneration: 'V2',
    disks: [diskStatus(`${vm.name}-os`), ...p.storageProfile.dataDisks.map((d: { name: string }) => diskStatus(d.name))],
    bootDiagnostics: {},
    extensions: [
      {
        name: 'AzureMonitorAgent',
        type: 'Microsoft.Azure.Monitor.AzureMonitorWindowsAgent',
        typeHandlerVersion: '1.22.0.0',
        statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' }],
      },
    ],
  });
  p.instanceView.vmAgent.extensionHandlers = [
    {
      type: 'Microsoft.Azure.Monitor.AzureMonitorWindowsAgent',
      typeHandlerVersion: '1.22.0.0',
      status: { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Ready' },
    },
  ];
  return {
    ...vm,
    tags: { environment: 'production', costCenter: 'CC-4711', owner: 'platform-team@contoso.com' },
    etag: '"7"',
    resources: [
      {
        id: `${vm.id}/extensions/AzureMonitorAgent`,
        name: 'AzureMonitorAgent',
        type: 'Microsoft.Compute/virtualMachines/extensions',
        location: 'westeurope',
        properties: {
          autoUpgradeMinorVersion: true,
          provisioningState: 'Succeeded',
          publisher: 'Microsoft.Azure.Monitor',
          type: 'AzureMonitorWindowsAgent',
          typeHandlerVersion: '1.22',
          settings: {},
        },
      },
    ],
  };
}
