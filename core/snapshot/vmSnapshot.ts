import { z } from 'zod';

/**
 * Everything the matrix rules read about one VM, resolved from ARM data (the VM and the resources it references).
 * Facts that could not be established are `null` (or `known: false`) — never guessed — so a rule can answer
 * `unknown` and name what is missing. Built by `buildVmSnapshot`; the rules never look at ARM JSON.
 */

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

export const osFamily = z.enum(['windows', 'linux']);
export const osDistribution = z.enum([
  'windows-server',
  'windows-client',
  'ubuntu',
  'rhel',
  'centos',
  'sles',
  'debian',
  'oracle-linux',
  'almalinux',
  'rocky',
  'flatcar',
  'coreos',
  'other-linux',
]);

export const osFacts = z.object({
  family: osFamily.nullable(),
  distribution: osDistribution.nullable(),
  /** Windows Server release (`2008-r2`, `2016`, ...), Windows client release (`10`, `11`), or a Linux version (`16.04`, `7.4`, `12-sp3`). */
  version: nullableString,
  /** Windows Server edition as far as it matters to the matrix: `datacenter`, `datacenter-core`, `standard`. */
  edition: nullableString,
  /** Only set when the data names it (a 32-bit guest, a Windows client `x86` image). */
  architectureBits: z.union([z.literal(32), z.literal(64)]).nullable(),
  /** Where the facts came from, most trusted first. */
  source: z.enum(['guest', 'image', 'osType', 'none']),
  /** A human label for messages: "Windows Server 2016 Datacenter", "Ubuntu 16.04", "Linux (distribution unknown)". */
  label: z.string(),
});
export type OsFacts = z.infer<typeof osFacts>;

export const diskFacts = z.object({
  role: z.enum(['os', 'data']),
  lun: nullableNumber,
  name: z.string(),
  managed: z.boolean(),
  managedDiskId: nullableString,
  /** The managed disk resource was found in the data (its facts override the VM model's). */
  resourceKnown: z.boolean(),
  vhdUri: nullableString,
  storageAccountName: nullableString,
  storageType: nullableString,
  sizeGiB: nullableNumber,
  writeAccelerator: z.boolean(),
  /** Server-side encryption with a customer-managed key: a disk encryption set on the VM model's disk, or the disk's `encryption`. */
  sseWithCustomerKey: z.boolean(),
  adeEnabled: z.boolean(),
  maxShares: nullableNumber,
  dataAccessAuthMode: nullableString,
  securityType: nullableString,
  /**
   * OS disk confidential encryption: `securityEncryptionType` (from the VM model, else read from the disk resource's
   * `ConfidentialVM_*` security type) and whether a customer-managed key set is used.
   */
  securityEncryptionType: nullableString,
  customerManagedKey: z.boolean(),
  /** An ephemeral OS disk (`diffDiskSettings.option: Local`): it lives on the host, not in Azure Storage. */
  ephemeral: z.boolean(),
  /** `creationData.performancePlus` of the disk resource; false when the disk cannot have it; null when only the disk resource would say. */
  performancePlus: z.boolean().nullable(),
});
export type DiskFacts = z.infer<typeof diskFacts>;

export const publicIpFacts = z.object({
  id: nullableString,
  known: z.boolean(),
  allocation: z.enum(['static', 'dynamic']).nullable(),
});

export const ipConfigurationFacts = z.object({
  name: z.string(),
  publicIp: publicIpFacts.nullable(),
  loadBalancerBackendPools: z.number(),
  inboundNatRules: z.number(),
});

export const nicFacts = z.object({
  id: z.string(),
  /** false: the VM references a NIC that is not in the data; its ip configurations are then unknown. */
  known: z.boolean(),
  inline: z.boolean(),
  ipConfigurations: z.array(ipConfigurationFacts),
});
export type NicFacts = z.infer<typeof nicFacts>;

export const storageAccountFacts = z.object({
  name: z.string(),
  known: z.boolean(),
  defaultAction: nullableString,
});

export const scheduleFacts = z.object({
  policyType: z.enum(['V1', 'V2']),
  frequency: nullableString,
  runsPerDay: nullableNumber,
  hourlyInterval: nullableNumber,
});

export const policyFacts = z.object({
  id: z.string(),
  known: z.boolean(),
  name: nullableString,
  schedule: scheduleFacts.nullable(),
  /** Points the retention keeps at most (daily + instant snapshots of hourly policies + weekly + monthly + yearly); null when they cannot be counted. */
  recoveryPoints: nullableNumber,
  retentionBreakdown: z.record(z.string(), z.number()),
  /** The policy fields that were missing to count `recoveryPoints` (empty when it is counted). */
  recoveryPointsMissing: z.array(z.string()),
  timeZone: nullableString,
  restorePointGroupPrefix: nullableString,
  restorePointGroupSuffix: nullableString,
  /** `OnlyCrashConsistent`: agentless crash-consistent backup, without the VM agent; null: the default (agent-based). */
  snapshotConsistencyType: nullableString,
});
export type PolicyFacts = z.infer<typeof policyFacts>;

export const protectionFacts = z.object({
  /** `unknown`: the protection could not be read (e.g. no Backup Reader role); policy and vault rules are then unknown. */
  status: z.enum(['protected', 'unprotected', 'stopped', 'unknown']),
  itemId: nullableString,
  protectionState: nullableString,
  /**
   * Selective disk backup (`extendedProperties.diskExclusionProperties`): the data disk LUNs listed, and whether the
   * list names the disks backed up (true) or left out (false; null when the item does not say). null: every disk is backed up.
   */
  diskExclusion: z.object({ luns: z.array(z.number()), isInclusionList: z.boolean().nullable() }).nullable(),
  policy: policyFacts.nullable(),
  vault: z
    .object({
      id: z.string(),
      subscriptionId: nullableString,
      known: z.boolean(),
      location: nullableString,
    })
    .nullable(),
});
export type ProtectionFacts = z.infer<typeof protectionFacts>;

export const lockFacts = z.object({ id: z.string(), level: z.string(), scope: z.string() });

export const vmSnapshot = z.object({
  id: z.string(),
  name: z.string(),
  subscriptionId: nullableString,
  resourceGroup: nullableString,
  location: nullableString,
  resourceType: z.string(),
  /** The VM's `vm-backup-guard-exempt` tag value (tag names compare case-insensitively); absent when untagged. */
  exemptTag: nullableString.optional(),
  zones: z.array(z.string()),
  /** vCpus is `vCPUsAvailable` when the VM sets it (then also in vCpusAvailable), else the size's. */
  size: z.object({ name: nullableString, vCpus: nullableNumber, memoryGiB: nullableNumber, vCpusAvailable: nullableNumber }),
  scaleSet: z.object({
    /** `.../virtualMachineScaleSets/{x}/virtualMachines/{n}` id or the scale-set-VM resource type: a Uniform instance. */
    uniformInstance: z.boolean(),
    /** `virtualMachineScaleSet.id` or a `managedBy` scale set: a Flexible orchestration member. */
    memberOf: nullableString,
  }),
  availabilitySetId: nullableString,
  image: z.object({
    kind: z.enum(['platform', 'marketplace-plan', 'custom', 'gallery', 'none']),
    publisher: nullableString,
    offer: nullableString,
    sku: nullableString,
    id: nullableString,
    plan: nullableString,
    /** The image version the VM runs (`exactVersion`, else `version`). */
    version: nullableString,
    /** Deprecation state of the Marketplace image version (`Active`, `ScheduledForDeprecation`, `Deprecated`); known: the image version is in the data. */
    deprecation: z.object({ known: z.boolean(), state: nullableString, scheduledTime: nullableString }),
  }),
  os: osFacts,
  agent: z.object({
    /** `provisionVMAgent` as written; null when the osProfile does not say (ARM's default is true). */
    provisionVmAgent: z.boolean().nullable(),
    osProfilePresent: z.boolean(),
    instanceViewPresent: z.boolean(),
    version: nullableString,
    status: nullableString,
    /** Why the agent cannot report yet: the OS is still provisioning, or the status blob is not yet populated. */
    pending: nullableString,
  }),
  powerState: nullableString,
  /** `generalized` or `specialized` from the instance view's `OSState/...` status. */
  osState: nullableString,
  securityType: nullableString,
  /** The VM model (its `properties`) is in the data: a Resource Graph row projected to a few columns may lack it. */
  modelKnown: z.boolean(),
  /** `Regular`, `Spot` or `Low` as written; null: not set (a Regular VM), or a Uniform instance (set on the scale set model). */
  priority: nullableString,
  /** The dedicated host (`host.id`) or host group (`hostGroup.id`) the VM is placed on. */
  dedicatedHost: nullableString,
  /** The Azure Extended Zone (`extendedLocation.name` of type EdgeZone). */
  extendedZone: nullableString,
  /** `SystemAssigned`, `UserAssigned`, or both; empty: no managed identity. */
  managedIdentities: z.array(z.string()),
  /** Azure Monitor diagnostic settings on the VM: known when the data names one or vouches there are none. */
  /** `notRead`: why the reader does not read them at all (the rule is then notApplicable, with that reason). */
  diagnosticSettings: z.object({ known: z.boolean(), ids: z.array(z.string()), notRead: z.string().optional() }),
  disks: z.array(diskFacts),
  extensions: z.object({ known: z.boolean(), types: z.array(z.string()) }),
  nics: z.array(nicFacts),
  storageAccounts: z.array(storageAccountFacts),
  protection: protectionFacts,
  locks: z.array(lockFacts),
  /** false when the locks could not be read (a live read without the right): the lock rule is then unknown. */
  locksKnown: z.boolean(),
  /** Human-readable notes on what the data lacked (e.g. a referenced disk that is not in the inventory). */
  missing: z.array(z.string()),
});
export type VmSnapshot = z.infer<typeof vmSnapshot>;
