import { cite, type EditionDefinition } from './definition.js';

/**
 * Edition 2026-03: the current matrix (ms.date 2026-03-26, with the Confidential VM include of 2026-01-28),
 * written as the spec writes it: a delta to 2019-02.
 */
export const edition2026: EditionDefinition = {
  id: '2026-03',
  title: 'Support matrix for Azure VM backup, 2026-03-26 (current)',
  source: 'articles/backup/backup-support-matrix-iaas.md, ms.date 2026-03-26; Confidential VM include 2026-01-28',
  basedOn: '2019-02',
  parameters: {
    calendarYear: 2026,
    maxDataDisks: 32,
    maxDiskSizeGiB: 65_536,
    maxTotalDiskSizeGiB: 524_288,
    supportedDiskTypes: ['Standard_LRS', 'StandardSSD_LRS', 'Premium_LRS', 'StandardSSD_ZRS', 'Premium_ZRS', 'PremiumV2_LRS', 'UltraSSD_LRS'],
    unmanagedDisksSupported: false,
    minimumWindowsServer: '2016',
    supportedWindowsClients: ['10', '11'],
    enableAtCreate: null,
    unsupportedScaleSetMembers: 'uniform',
    crossSubscriptionUnsupportedFor: 'confidential',
    enhancedHourlyIntervals: [4, 6, 8, 12, 24],
    confidentialVm: { regions: ['uaenorth', 'koreacentral'], sizePattern: /^Standard_(DC|EC)\d+[a-z]*_v6$/i },
    restore: { replaceDisksNeedsSpecialized: true, fileRecoveryExcludesSpecialDisks: true, crossRegionRestore: true },
  },
  rules: {
    'os.windows-client': { change: 'Windows 10 and 11 (64-bit) are supported now; other clients still fail', citation: cite('OS support (Windows) › "Windows 10 and Windows 11 (64-bit)" clients') },
    'os.windows-server-version': { change: 'the supported list is 2016, 2019, 2022, 2025: older releases fail, as a warning (no longer listed)', severity: 'warning', citation: cite('OS support (Windows) › "Windows Server 2025, 2022, 2019, 2016"') },
    'compute.scale-set': { change: 'Flexible orchestration members are supported; only Uniform instances fail', citation: cite('VM compute support › "Back up VMs deployed in Flexible orchestration mode scale sets: supported"; Uniform mode: not supported') },
    'storage.data-disk-count': { change: '16 → 32 data disks', citation: cite('VM storage support › "Azure VM data disks: back up VMs with 32 or fewer data disks"') },
    'storage.disk-size': { change: '4095 GB → 64 TB per disk, and 512 TB per VM', citation: cite('VM storage support › "Data disk size: up to 64 TB per disk, 512 TB per VM"') },
    'storage.disk-type': { change: 'ZRS, Premium SSD v2 and Ultra Disk are supported (v2 and Ultra need the Enhanced policy)', citation: cite('VM storage support › "Storage type: Standard HDD, Standard SSD, Premium SSD (incl. ZRS), Premium SSD v2, Ultra Disk"') },
    'storage.unmanaged-disks': { change: 'info → error: backup of VMs with unmanaged disks is no longer supported', severity: 'error', citation: cite('VM storage support › "Unmanaged disks: backup of VMs with unmanaged disks is not supported"') },
    'policy.schedule': { change: 'Enhanced (V2) policies may run every 4, 6, 8, 12 or 24 hours', citation: cite('Backup frequency and retention › "Enhanced policy: hourly backups every 4, 6, 8, 12 or 24 hours"; Standard policy: once a day') },
    'vault.subscription': { change: 'cross-subscription backup is supported in the same tenant and region, except for Confidential VMs', citation: cite('Supported backup actions › "Back up a VM to a different subscription: supported in the same tenant and region, except Confidential VMs"') },
    'locks.resource-group': { change: 'error → warning: the current text both keeps the row and says locks are supported for managed VMs', severity: 'warning', citation: cite('Supported backup actions › "Back up managed disks after enabling resource group lock" (the text also says locks are supported for managed VMs)') },

    'os.enable-at-create': { retired: 'the create-flow OS lists were dropped from the matrix', citation: cite('Supported backup actions › "Enable backup when you create a Windows/Linux VM"') },
    'compute.availability-zone': { retired: 'zonal VMs and cross-zonal restore are supported', citation: cite('VM compute support › "Back up VMs in availability zones: supported"') },
    'storage.standard-ssd': { retired: 'Instant Restore is the only backup stack', citation: cite('VM storage support › storage type') },
    'storage.write-accelerator': { retired: 'supported since 2022-05; Write Accelerator disks can be excluded with selective disk backup', citation: cite('VM storage support › "Disks with Write Accelerator enabled: supported"') },
    'storage.unmanaged-firewall': { retired: 'unmanaged disks are unsupported altogether (storage.unmanaged-disks)', citation: cite('VM network support › "VNet service endpoints"') },
    'network.reserved-ip': { retired: 'a classic-VM row; restored ARM VMs get a dynamic IP', citation: cite('VM network support › "Reserved IP addresses (static)"') },

    'policy.enhanced-required': { change: 'new in 2026-03', severity: 'error', citation: cite('VM storage support › Premium SSD v2, Ultra Disk; shared disks') },
    'storage.shared-disk': { change: 'new in 2026-03', severity: 'error', citation: cite('VM storage support › shared disks: not supported') },
    'storage.entra-data-access': { change: 'new in 2026-03', severity: 'error', citation: cite('VM storage support › disks with Entra ID authentication for data access: not supported') },
    'security.data-disk-security-type': { change: 'new in 2026-03', severity: 'error', citation: cite('Trusted Launch / Confidential VM › data disks with those security types: not supported') },
    'security.confidential-vm': { change: 'new in 2026-03', severity: 'error', citation: cite('Confidential VM backup (preview) › v6 only, listed regions, OS disk encryption with platform keys') },
    'security.trusted-launch-policy': { change: 'new in 2026-03', severity: 'info', citation: cite('Trusted Launch › Standard policy support') },
  },
};
