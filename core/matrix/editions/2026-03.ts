import { cite, type EditionDefinition } from './definition.js';

/** The matrix's agentless table (an include shared with the agentless backup article). */
const AGENTLESS_SECTION = 'Supported scenarios for agentless multi-disk crash-consistent VM backup';
/** Why the agent-based rows step aside: the same words for each of them. */
const AGENTLESS_NOT_APPLICABLE = 'notApplicable when the policy takes agentless crash-consistent backups (snapshotConsistencyType OnlyCrashConsistent)';

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
    // Azure's endorsed list today (the matrix defers to it): AlmaLinux, Rocky and Flatcar joined; CentOS left.
    endorsedLinux: ['almalinux', 'debian', 'flatcar', 'oracle-linux', 'rhel', 'rocky', 'sles', 'ubuntu'],
    enableAtCreate: null,
    unsupportedScaleSetMembers: 'uniform',
    crossSubscriptionUnsupportedFor: 'confidential',
    enhancedHourlyIntervals: [4, 6, 8, 12, 24],
    confidentialVm: { regions: ['uaenorth', 'koreacentral'], sizePattern: /^Standard_(DC|EC)\d+[a-z]*_v6$/i },
    agentless: { azureBoost: { intelFromVersion: 6, amdFromVersion: 7 } },
    restore: {
      replaceDisksNeedsSpecialized: true,
      fileRecoveryExcludesSpecialDisks: true,
      crossRegionRestore: {
        confidentialVms: false,
        // The page's lists (revision ms.date 2026-01-28, the newest public copy found), in ARM location names, duplicates dropped.
        diskTypeRegions: {
          UltraSSD_LRS: [
            'southcentralus',
            'brazilsouth',
            'canadaeast',
            'canadacentral',
            'eastus2',
            'southeastasia',
            'westus',
            'centralus',
            'koreasouth',
            'koreacentral',
            'westeurope',
            'northcentralus',
            'eastasia',
            'usgovtexas',
            'usgovarizona',
            'westus2',
            'northeurope',
            'eastus',
            'westcentralus',
          ],
          PremiumV2_LRS: [
            'brazilsouth',
            'centralus',
            'eastasia',
            'eastus',
            'eastus2',
            'northcentralus',
            'northeurope',
            'southcentralus',
            'southeastasia',
            'uksouth',
            'ukwest',
            'westeurope',
            'westus',
            'westus3',
            'norwaywest',
            'norwayeast',
            'japanwest',
            'japaneast',
          ],
        },
      },
      crossSubscriptionRestore: true,
      crossZonalRestore: true,
      configurationLimits: true,
    },
    vmGroupLock: 'warning',
  },
  parameterChanges: {
    restore:
      'cross-region restore: Confidential VMs are unavailable ("Cross Region Restore is currently unsupported as CVM v6 SKU isn\'t generally available in Azure paired regions", Confidential VM include 2026-01-28); ' +
      'machines using Ultra Disks or Premium SSD v2 are limited outside the listed regions ("GRS vaults and Cross-Region Restore are currently supported in the following regions for machines using Ultra Disks / Premium SSDv2 Disks", VM storage support, lists as of the page revision of 2026-01-28). ' +
      'Cross-subscription restore: "Cross Subscription Restore is unsupported for: Snapshots tier recovery points … unmanaged VMs and VMs with disks having Azure Encryptions (ADE) … VMs with CMK encrypted disks". ' +
      'Cross-zonal restore: "the restored VM uses SSE encryption by default. You must manually reapply CMK encryption to the restored VM after the restore process is complete"',
    endorsedLinux: `the matrix defers to Azure's endorsed distributions, which now are AlmaLinux, Ubuntu, Debian, Flatcar, Oracle Linux, RHEL, Rocky Linux and SLES: CentOS is no longer endorsed`,
    agentless: `agentless crash-consistent backup: "Agentless crash-consistent backups are operating system agnostic"; the agentless section excludes Azure Boost sizes, "Intel V6 and above … and AMD V7 and above"`,
    vmGroupLock:
      'only a lock reaching the restore point collections stops Azure Backup deleting old restore points; the page also says "Back up Azure VMs with locks: Supported for managed VMs"',
  },
  rules: {
    'os.windows-client': {
      change: `Windows 10 and 11 (64-bit) are supported now; other clients still fail. The row is agent-based backup's: ${AGENTLESS_NOT_APPLICABLE}`,
      citation: cite('OS support (Windows) › Back up with the Azure VM agent extension: "Windows 10 and Windows 11 (64-bit)" clients'),
    },
    'os.windows-server-version': {
      change: `the supported list is 2016, 2019, 2022, 2025: older releases fail, as a warning (no longer listed). The row is agent-based backup's: ${AGENTLESS_NOT_APPLICABLE}`,
      severity: 'warning',
      citation: cite('OS support (Windows) › Back up with the Azure VM agent extension: "Windows Server 2025, 2022, 2019, 2016"'),
    },
    'os.linux-unsupported': {
      change: `CoreOS and 32-bit are unsupported by agent-based backup only: ${AGENTLESS_NOT_APPLICABLE}, which "are operating system agnostic"`,
      citation: cite(
        `Operating system support (Linux) › "Agent-based VM backup doesn't support CoreOS Linux." "Agent-based VM backup doesn't support 32-bit operating systems." "Agentless crash-consistent backups are operating system agnostic and can be used to back up VMs whose operating system isn't supported for agent-based backups."`,
      ),
    },
    'os.linux-endorsed': {
      change: `the endorsed list is Azure's current one: AlmaLinux, Debian, Flatcar, Oracle Linux, RHEL, Rocky Linux, SLES, Ubuntu (CentOS is no longer on it); ${AGENTLESS_NOT_APPLICABLE}`,
      citation: cite(
        'Operating system support (Linux) › "For Linux VM backups using the Linux Azure VM agent, Azure Backup supports the list of Linux distributions endorsed by Azure." ' +
          '(Endorsed Linux distributions on Azure: AlmaLinux, Canonical / Ubuntu, Credativ / Debian, Kinvolk / Flatcar, Oracle Linux, Red Hat / RHEL, CIQ / Rocky Linux, SUSE / SLES); ' +
          '"Other bring-your-own Linux distributions might work as long as the Azure VM agent for Linux is available on the VM, and as long as Python is supported."',
      ),
    },
    'agent.provisioned': {
      change: `the VM agent binds agent-based backup only: ${AGENTLESS_NOT_APPLICABLE}`,
      citation: cite(
        `Supported scenarios › Direct backup of Azure VMs: "For application or file-system consistent backups, no additional agent is needed on the Azure VM. Azure Backup installs and uses an extension to the Azure VM agent that's running on the VM." "You can also use agentless crash-consistent backups."; VM compute support › "Back up VMs that are migrated to Azure: Supported. To back up a VM, make sure that the VM agent is installed on the migrated machine."`,
      ),
    },
    'agent.ready': {
      change: `the VM agent binds agent-based backup only: ${AGENTLESS_NOT_APPLICABLE}`,
      citation: cite(
        `Supported scenarios › Direct backup of Azure VMs: "For application or file-system consistent backups, no additional agent is needed on the Azure VM. Azure Backup installs and uses an extension to the Azure VM agent that's running on the VM." "You can also use agentless crash-consistent backups."`,
      ),
    },
    'consistency.linux-file-consistent': {
      change: `file consistency is agent-based backup's: ${AGENTLESS_NOT_APPLICABLE}, whose backups are crash-consistent`,
      citation: cite(
        'Support for Linux backup › "Back up Linux Azure VMs with the Linux Azure VM agent: File consistent backup. App-consistent backup using custom scripts."',
      ),
    },
    'compute.scale-set': {
      change: 'Flexible orchestration members are supported; only Uniform instances fail',
      citation: cite(
        'VM compute support › Restore Virtual Machine Scale Sets: "Supported for the flexible orchestration model to back up and restore a single Azure VM."',
      ),
    },
    'storage.data-disk-count': {
      change: '16 → 32 data disks',
      citation: cite('VM storage support › "Azure VM data disks: back up VMs with 32 or fewer data disks"'),
    },
    'storage.disk-size': {
      change: '4095 GB → 64 TB per disk, and 512 TB per VM',
      citation: cite('VM storage support › "Data disk size: up to 64 TB per disk, 512 TB per VM"'),
    },
    'storage.disk-type': {
      change: 'ZRS, Premium SSD v2 and Ultra Disk are supported (v2 and Ultra need the Enhanced policy)',
      citation: cite('VM storage support › "Storage type: Standard HDD, Standard SSD, Premium SSD (incl. ZRS), Premium SSD v2, Ultra Disk"'),
    },
    'storage.unmanaged-disks': {
      change: 'info → error: backup of VMs with unmanaged disks is no longer supported',
      severity: 'error',
      citation: cite('VM storage support › "Unmanaged disks: backup of VMs with unmanaged disks is not supported"'),
    },
    'policy.schedule': {
      change: 'Enhanced (V2) policies may run every 4, 6, 8, 12 or 24 hours',
      citation: cite('Backup frequency and retention › "Enhanced policy: hourly backups every 4, 6, 8, 12 or 24 hours"; Standard policy: once a day'),
    },
    'vault.subscription': {
      change: 'cross-subscription backup is supported in the same tenant and region, except for Confidential VMs',
      citation: cite('Supported backup actions › "Back up a VM to a different subscription: supported in the same tenant and region, except Confidential VMs"'),
    },
    'locks.resource-group': {
      change:
        "still an error where the lock reaches the restore point collections (a subscription lock, or one on the policy's instant-restore group or AzureBackupRG_<region>_<n>); a lock only on the VM's own group is now a warning",
      severity: 'error',
      citation: cite(
        `Supported backup actions › "Back up managed disks after enabling a resource group lock: Not supported. Azure Backup can't delete the older restore points. Backups will start to fail when the limit of restore points is reached."; VM compute support › "Back up Azure VMs with locks: Supported for managed VMs."`,
      ),
    },
    'policy.recovery-points': {
      change:
        'Enhanced hourly policies: "the last backup of the day is transferred to a vault", so daily retention counts one point a day, plus instant restore days × runs a day',
      citation: cite(
        'Backup frequency and retention › "Maximum recovery points per protected instance (machine or workload): 9999."; Enhanced policy › "For hourly backups, the last backup of the day is transferred to a vault."',
      ),
    },

    'os.enable-at-create': {
      retired: 'the create-flow OS lists were dropped from the matrix',
      citation: cite('Supported backup actions › "Enable backup when you create a Windows/Linux VM"'),
    },
    'compute.availability-zone': {
      retired: 'zonal VMs and cross-zonal restore are supported',
      citation: cite('VM compute support › "Back up VMs in availability zones: supported"'),
    },
    'storage.standard-ssd': { retired: 'Instant Restore is the only backup stack', citation: cite('VM storage support › storage type') },
    'storage.write-accelerator': {
      retired: 'supported since 2022-05; Write Accelerator disks can be excluded with selective disk backup',
      citation: cite('VM storage support › "Disks with Write Accelerator enabled: supported"'),
    },
    'storage.unmanaged-firewall': {
      retired: 'unmanaged disks are unsupported altogether (storage.unmanaged-disks)',
      citation: cite('VM network support › "VNet service endpoints"'),
    },
    'network.reserved-ip': {
      retired: 'a classic-VM row; restored ARM VMs get a dynamic IP',
      citation: cite('VM network support › "Reserved IP addresses (static)"'),
    },

    'policy.enhanced-required': {
      change: 'new in 2026-03',
      severity: 'error',
      citation: cite(
        'VM storage support › Ultra disks, Premium SSD v2: "Supported with Enhanced policy"; Shared disks: "You can exclude shared disk with Enhanced policy and backup the other supported disks in the VM."',
      ),
    },
    'storage.shared-disk': {
      change: 'new in 2026-03; passes when every shared disk is excluded from the backup under an Enhanced policy',
      severity: 'error',
      citation: cite(
        'VM storage support › Shared disks: "Not supported. You can exclude shared disk with Enhanced policy and backup the other supported disks in the VM."',
      ),
    },
    'storage.entra-data-access': {
      change: 'new in 2026-03',
      severity: 'error',
      citation: cite('VM storage support › disks with Entra ID authentication for data access: not supported'),
    },
    'security.data-disk-security-type': {
      change: 'new in 2026-03',
      severity: 'error',
      citation: cite('Trusted Launch / Confidential VM › data disks with those security types: not supported'),
    },
    'security.confidential-vm': {
      change:
        'new in 2026-03: v6 sizes, UAE North or Korea Central, and OS disk encryption (securityEncryptionType DiskWithVMGuestState); platform- and customer-managed keys are both supported',
      severity: 'error',
      citation: cite(
        `Support for Confidential VM backup (preview) › Virtual Machine size: "v6-series is supported. v5-series isn't supported."; Region availability: "Supported in UAE North, Korea Central."; Backup capabilities: "You can backup Confidential VMs with OS disk encryption only."`,
      ),
    },
    'security.trusted-launch-policy': { change: 'new in 2026-03', severity: 'info', citation: cite('Trusted Launch › Standard policy support') },

    // The agentless section's rows: they bind VMs whose policy takes agentless crash-consistent backups.
    'agentless.enhanced-policy': {
      change: 'new in 2026-03: agentless crash-consistent backup needs an Enhanced policy',
      severity: 'error',
      citation: cite(`${AGENTLESS_SECTION} › Backup policy type: "Agentless crash-consistent backup is supported only with Enhanced Policy."`),
    },
    'agentless.premium-storage-size': {
      change: 'new in 2026-03: agentless crash-consistent backup needs a premium-storage-capable size',
      severity: 'error',
      citation: cite(
        `${AGENTLESS_SECTION} › VM type and size: "Supported for VM sizes that are premium storage capable (VM size that include "s" in their name) such as DSv2."`,
      ),
    },
    'agentless.azure-boost-size': {
      change: 'new in 2026-03: agentless crash-consistent backup does not support Azure Boost sizes (Intel v6+, AMD v7+)',
      severity: 'error',
      citation: cite(
        `${AGENTLESS_SECTION} › VM type and size: "VM sizes using Azure Boost aren't supported - Intel V6 and above (Dsv6-series, Edsv6-series, Esv6-series, and more) and AMD V7 and above (Dasv7-series, Dadsv7-series, Easv7-series, Faldsv7-series, and more)"`,
      ),
    },
    'agentless.unsupported-disks': {
      change: 'new in 2026-03: agentless crash-consistent backup does not support Ultra, Premium SSD v2, ephemeral OS, shared or Write Accelerator disks',
      severity: 'error',
      citation: cite(
        `${AGENTLESS_SECTION} › VM type and size: "VMs with Ultra Disks, Premium SSD v2, Ephemeral OS disks, Shared disks, and Write Accelerated disks aren't supported."`,
      ),
    },
    'agentless.confidential-vm': {
      change: 'new in 2026-03: agentless (multi-disk crash-consistent) backup does not support Confidential VMs',
      severity: 'error',
      citation: cite('Support for Confidential VM backup (preview) › Backup capabilities: "Multi-disk crash consistent backup is unsupported."'),
    },

    // Rows of the current page decidable from ARM data that the 2026-03 spec left out (issue "Every export an Azure
    // admin already has, and every ARM-decidable row of the current matrix"), quoted from the page.
    'compute.spot-vm': {
      change: 'new in 2026-03: Spot VMs are restored as regular VMs',
      severity: 'warning',
      citation: cite('VM compute support › Restore spot VMs: "Not supported. Azure Backup restores spot VMs as regular Azure VMs."'),
    },
    'compute.deprecated-image': {
      change: 'new in 2026-03: a deprecated Marketplace plan makes a "create new VM" restore fail',
      severity: 'error',
      citation: cite(
        'Supported backup actions › Back up a VM with a deprecated plan when the publisher has removed it from Azure Marketplace: "Not supported. Backup is possible. However, restore will fail."',
      ),
    },
    'compute.extended-zone': {
      change: 'new in 2026-03: VMs in Azure Extended Zones are backed up only through an Enhanced policy',
      severity: 'error',
      citation: cite(
        'Supported backup actions › Back up Azure VMs with Azure Extended zones: "Supported through Enhanced policy. Snapshot is crash-consistent only, you can also retain snapshots locally for instant restore."',
      ),
    },
    'compute.dedicated-host': {
      change: 'new in 2026-03: a "create new VM" restore does not place the VM on its dedicated host',
      severity: 'warning',
      citation: cite(
        `VM compute support › Restore VMs in an Azure dedicated host: "Supported. When you're restoring an Azure VM through the Create new option, the VM can't be restored in the dedicated host, even when the restore is successful."`,
      ),
    },
    'compute.diagnostic-settings': {
      change: 'new in 2026-03: a "create new VM" restore of a VM with diagnostic settings fails',
      severity: 'error',
      citation: cite(
        'VM compute support › Back up a VM with diagnostic settings: "Not supported. If the restore of the Azure VM with diagnostic settings is triggered via the Create new option, the restore fails."',
      ),
    },
    'compute.managed-identity': {
      change: 'new in 2026-03: cross-region restore does not carry managed identities',
      severity: 'warning',
      citation: cite(
        `VM compute support › Restore with managed identities: "Supported for managed Azure VMs. Not supported for classic and unmanaged Azure VMs. Cross-region restore isn't supported with managed identities."`,
      ),
    },
    'storage.performance-plus': {
      change: 'new in 2026-03: a restore from the vault tier drops the performance plus flag',
      severity: 'info',
      citation: cite(
        'VM storage support › Performance-plus disks: "Recovering from snapshot tier (instant restore) will recover disks as performance-plus disks. Recovering from vault does not respect the performance-plus flag and will restore disks as normal disks."',
      ),
    },
  },
};
