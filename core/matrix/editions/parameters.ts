/**
 * The limits and lists that differ between matrix editions. A rule reads these instead of hard-coding a number,
 * so a new edition is mostly a new set of parameters (see `2026-03.ts`), not new rules.
 */
export interface EditionParameters {
  /** Year whose clock rules decide whether a time zone observes daylight saving time. */
  calendarYear: number;
  minVcpus: number;
  minMemoryGiB: number;
  maxDataDisks: number;
  maxDiskSizeGiB: number;
  /** All disks of the VM together; null: no such limit in the edition. */
  maxTotalDiskSizeGiB: number | null;
  maxRecoveryPoints: number;
  supportedDiskTypes: readonly string[];
  /** Whether a VM with unmanaged (VHD blob) disks can be backed up at all. */
  unmanagedDisksSupported: boolean;
  /** Windows Server releases older than this one fail `os.windows-server-version`. */
  minimumWindowsServer: string;
  /** Windows client releases that are supported (64-bit only); empty: no client is. */
  supportedWindowsClients: readonly string[];
  endorsedLinux: readonly string[];
  /** The OS list of "enable backup when you create the VM", or null when the edition no longer has one. */
  enableAtCreate: EnableAtCreateList | null;
  /** `any`: every scale set member is unsupported; `uniform`: only Uniform orchestration instances are. */
  unsupportedScaleSetMembers: 'any' | 'uniform';
  /** `all`: no VM may be backed up to a vault of another subscription; `confidential`: only Confidential VMs may not. */
  crossSubscriptionUnsupportedFor: 'all' | 'confidential';
  /** Hourly intervals an Enhanced policy may use; null: hourly schedules are not supported at all. */
  enhancedHourlyIntervals: readonly number[] | null;
  confidentialVm: { regions: readonly string[]; sizePattern: RegExp } | null;
  /** Agentless crash-consistent backup (a policy's `snapshotConsistencyType: OnlyCrashConsistent`); null: the edition has none. */
  agentless: AgentlessParameters | null;
  restore: {
    /** Replace-disks also needs a VM that is not generalized. */
    replaceDisksNeedsSpecialized: boolean;
    /** File recovery is also unavailable for shared, Ultra, Premium SSD v2 and Write Accelerator disks. */
    fileRecoveryExcludesSpecialDisks: boolean;
    /** Cross-region restore to the paired region (create VM and restore disks only); null: the edition has no such path. */
    crossRegionRestore: CrossRegionRestoreLimits | null;
    /** Report cross-subscription restore readiness (create VM and restore disks, from vault-tier recovery points). */
    crossSubscriptionRestore: boolean;
    /** Report cross-zonal restore readiness for zone-pinned VMs. */
    crossZonalRestore: boolean;
    /**
     * The current page's rows on Spot VMs, dedicated hosts, diagnostic settings, deprecated Marketplace plans, managed
     * identities and performance plus disks limit the restore paths (the rules `compute.spot-vm` … `storage.performance-plus`).
     */
    configurationLimits: boolean;
  };
  /**
   * How a lock that reaches only the VM's own resource group is graded (not the subscription, not the group holding
   * the restore point collections): `rule`, the rule's severity (2019-02 reads "resource group lock" as any group);
   * `warning`, because only locks reaching the restore point collections stop Azure Backup pruning them (2026-03).
   */
  vmGroupLock: 'rule' | 'warning';
}

export interface EnableAtCreateList {
  windowsServer: readonly { version: string; editions: readonly string[] | null }[];
  linux: Readonly<Record<string, readonly string[]>>;
}

/** The size limits of agentless crash-consistent backup; its disk, policy and Confidential VM limits need no numbers. */
export interface AgentlessParameters {
  /** Azure Boost sizes are unsupported: Intel sizes from this version (`_v6`) on, AMD sizes (`a` in the name) from `amdFromVersion`. */
  azureBoost: { intelFromVersion: number; amdFromVersion: number };
}

/** What limits cross-region restore beyond its two restore options. */
export interface CrossRegionRestoreLimits {
  /** false: Confidential VMs cannot be restored to another region. */
  confidentialVms: boolean;
  /** Disk types (ARM sku names) whose machines get GRS vaults and cross-region restore only in the listed regions (ARM location names). */
  diskTypeRegions: Readonly<Record<string, readonly string[]>>;
}
