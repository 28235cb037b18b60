import { cite, type EditionDefinition } from './definition.js';

/** Edition 2019-02: the seed matrix ("Support matrix for Azure VM backup", ms.date 2019-02-17). */
export const edition2019: EditionDefinition = {
  id: '2019-02',
  title: 'Support matrix for Azure VM backup, 2019-02-17 (the seed)',
  source: 'articles/backup/backup-support-matrix-iaas.md, ms.date 2019-02-17',
  basedOn: null,
  parameters: {
    calendarYear: 2019,
    minVcpus: 2,
    minMemoryGiB: 1,
    maxDataDisks: 16,
    maxDiskSizeGiB: 4095,
    maxTotalDiskSizeGiB: null,
    maxRecoveryPoints: 9999,
    supportedDiskTypes: ['Standard_LRS', 'StandardSSD_LRS', 'Premium_LRS'],
    unmanagedDisksSupported: true,
    minimumWindowsServer: '2008-r2',
    supportedWindowsClients: [],
    endorsedLinux: ['ubuntu', 'rhel', 'sles', 'debian', 'centos', 'oracle-linux'],
    enableAtCreate: {
      windowsServer: [
        { version: '2016', editions: ['datacenter', 'datacenter-core'] },
        { version: '2012-r2', editions: ['datacenter'] },
        { version: '2008-r2-sp1', editions: null },
      ],
      linux: {
        ubuntu: ['17.10', '17.04', '16.04', '14.04'],
        rhel: ['6.7', '6.8', '6.9', '7.2', '7.3', '7.4'],
        sles: ['11-sp4', '12-sp2', '12-sp3'],
        debian: ['8', '9'],
        centos: ['6.9', '7.3'],
        'oracle-linux': ['6.7', '6.8', '6.9', '7.2', '7.3'],
      },
    },
    unsupportedScaleSetMembers: 'any',
    crossSubscriptionUnsupportedFor: 'all',
    enhancedHourlyIntervals: null,
    confidentialVm: null,
    agentless: null,
    restore: {
      replaceDisksNeedsSpecialized: false,
      fileRecoveryExcludesSpecialDisks: false,
      crossRegionRestore: null,
      crossSubscriptionRestore: false,
      crossZonalRestore: false,
      configurationLimits: false,
    },
    vmGroupLock: 'rule',
  },
  rules: {
    'os.windows-client': { severity: 'error', citation: cite('OS support (Windows) › Back up with VM agent extension: "Windows Client: not supported"') },
    'os.windows-server-version': { severity: 'error', citation: cite('OS support (Windows) › "Windows Server 2008 R2 or later"') },
    'os.linux-unsupported': {
      severity: 'error',
      citation: cite(`OS support (Linux) › "doesn't support Core OS Linux", "doesn't support 32-bit operating systems"`),
    },
    'os.linux-endorsed': {
      severity: 'warning',
      citation: cite('OS support (Linux) › "other bring-your-own distributions might work as long as the VM agent is available and supports Python"'),
    },
    'os.enable-at-create': { severity: 'info', citation: cite('Supported backup actions › "Enable backup when you create a Windows/Linux VM"') },
    'agent.provisioned': {
      severity: 'error',
      citation: cite(
        'Supported scenarios › direct backup uses an extension of the Azure VM agent; VM compute: "VMs migrated to Azure: the VM agent must be installed"',
      ),
    },
    'agent.ready': {
      severity: 'warning',
      citation: cite(
        'Supported scenarios › direct backup uses an extension of the Azure VM agent; VM compute: "VMs migrated to Azure: the VM agent must be installed"',
      ),
    },
    'consistency.vm-not-running': {
      severity: 'warning',
      citation: cite('Supported backup actions › "Back up a VM that is shut down/offline: crash-consistent snapshot only, not app-consistent"'),
    },
    'consistency.linux-file-consistent': {
      severity: 'info',
      citation: cite('Support for Linux backup › "File-consistent backup; app-consistent using custom scripts"'),
    },
    'compute.min-size': { severity: 'error', citation: cite('VM compute › VM size: "at least 2 CPU cores and 1 GB RAM"') },
    'compute.availability-zone': { severity: 'error', citation: cite('VM compute › "Back up VMs in availability zones: not supported"') },
    'compute.scale-set': { severity: 'error', citation: cite('VM compute › "Back up VMs deployed in a scale set: not supported"') },
    'compute.availability-set': {
      severity: 'warning',
      citation: cite('VM compute › availability sets; VM management: "Restore VM directly to an availability set"'),
    },
    'compute.image-source': { severity: 'info', citation: cite('VM compute › Marketplace images, custom images') },
    'storage.data-disk-count': { severity: 'error', citation: cite('VM storage › "VMs with 16 or fewer data disks"') },
    'storage.disk-size': { severity: 'error', citation: cite('VM storage › data disk size: "up to 4095 GB"') },
    'storage.disk-type': { severity: 'error', citation: cite('VM storage › storage type: "Standard HDD, Standard SSD, Premium SSD"') },
    'storage.standard-ssd': { severity: 'warning', citation: cite(`VM storage › storage type: "Standard SSD is supported if you're running Instant Restore"`) },
    'storage.write-accelerator': { severity: 'error', citation: cite('VM storage › "Disks with Write Accelerator enabled: not supported"') },
    'storage.ade': { severity: 'warning', citation: cite('VM storage › encrypted disks; File-level restore: "encrypted VMs: not supported"') },
    'storage.unmanaged-disks': { severity: 'info', citation: cite('VM storage › managed disks; VM management: availability sets') },
    'storage.unmanaged-firewall': {
      severity: 'error',
      citation: cite(
        'VM network › "VNet service endpoints: storage firewall must allow all networks"; File-level restore: "storage accounts with network restrictions: not supported"',
      ),
    },
    'network.reserved-ip': { severity: 'error', citation: cite('VM network › "Reserved IP addresses (static): not supported"') },
    'network.public-ip': { severity: 'info', citation: cite('VM network › "VMs with public IP addresses"') },
    'network.special-config': {
      severity: 'warning',
      citation: cite('VM network › load balancer, multiple reserved IPs, multiple NICs; File-level restore: "special network settings"'),
    },
    'policy.schedule': {
      severity: 'error',
      citation: cite('Supported backup actions › "one scheduled backup per day", "Monthly/yearly backup: only daily and weekly"; Frequency: "once a day"'),
    },
    'policy.recovery-points': { severity: 'error', citation: cite('Frequency and retention › "Maximum recovery points per protected instance: 9999"') },
    'policy.daylight-saving': { severity: 'info', citation: cite('Supported backup actions › "Automatic clock adjustment: not supported"') },
    'vault.region': { severity: 'error', citation: cite('Supported backup actions › "Back up a VM to a different region or subscription: not supported"') },
    'vault.subscription': {
      severity: 'error',
      citation: cite('Supported backup actions › "Back up a VM to a different region or subscription: not supported"'),
    },
    'locks.resource-group': {
      severity: 'error',
      citation: cite('Supported backup actions › "Back up managed disks after enabling resource group lock: not supported"'),
    },

    // Rows the current matrix added: the seed has none of them, so these rules answer notApplicable here.
    'compute.spot-vm': { absent: 'the seed has no row on Spot VMs' },
    'compute.deprecated-image': { absent: 'the seed has no row on deprecated Marketplace plans' },
    'compute.extended-zone': { absent: 'the seed has no row on Azure Extended Zones' },
    'compute.dedicated-host': { absent: 'the seed has no row on dedicated hosts' },
    'compute.diagnostic-settings': { absent: 'the seed has no row on diagnostic settings' },
    'compute.managed-identity': { absent: 'the seed has no row on managed identities (nor cross-region restore)' },
    'storage.performance-plus': { absent: 'the seed has no row on performance plus disks' },
  },
};
