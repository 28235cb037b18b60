import { z } from 'zod';
import { armObject, optBoolean, optNumber, optRef, optString, optStringArray } from './armShape.js';

/**
 * The ARM resources the rules read, validated only in the fields the rules read (everything else passes
 * through). Each resource is accepted in the REST shape (`properties.x`) and in the `az ... show` shape
 * (the same fields at the top level): the schemas list the property fields at both levels.
 */

/** A resource-like object whose fields sit under `properties` (REST) or at the top level (az CLI). */
function withProperties<Props extends z.ZodRawShape, Top extends z.ZodRawShape>(props: Props, top: Top) {
  return armObject({ ...top, properties: armObject(props).nullish(), ...props });
}

const status = armObject({ code: optString, displayStatus: optString, message: optString });
const statuses = z.array(status).nullish();

const instanceView = armObject({
  osName: optString,
  osVersion: optString,
  statuses,
  vmAgent: armObject({ vmAgentVersion: optString, statuses }).nullish(),
  extensions: z.array(armObject({ name: optString, type: optString })).nullish(),
  // Azure Disk Encryption shows here too, per disk.
  disks: z.array(armObject({ name: optString, encryptionSettings: z.array(armObject({ enabled: optBoolean })).nullish() })).nullish(),
});

const managedDiskParameters = armObject({
  id: optString,
  storageAccountType: optString,
  securityProfile: armObject({ securityEncryptionType: optString, diskEncryptionSet: optRef }).nullish(),
  diskEncryptionSet: optRef,
});

const encryptionSettings = armObject({ enabled: optBoolean }).nullish();

const osDisk = armObject({
  name: optString,
  osType: optString,
  diskSizeGB: optNumber,
  writeAcceleratorEnabled: optBoolean,
  // `option: Local` marks an ephemeral OS disk.
  diffDiskSettings: armObject({ option: optString, placement: optString }).nullish(),
  managedDisk: managedDiskParameters.nullish(),
  vhd: armObject({ uri: optString }).nullish(),
  encryptionSettings,
});

const dataDisk = armObject({
  lun: optNumber,
  name: optString,
  diskSizeGB: optNumber,
  writeAcceleratorEnabled: optBoolean,
  toBeDetached: optBoolean,
  managedDisk: managedDiskParameters.nullish(),
  vhd: armObject({ uri: optString }).nullish(),
});

const imageReference = armObject({
  publisher: optString,
  offer: optString,
  sku: optString,
  version: optString,
  // What `latest` resolved to when the VM was created: the version whose deprecation matters.
  exactVersion: optString,
  id: optString,
  sharedGalleryImageId: optString,
  communityGalleryImageId: optString,
});

const osConfiguration = armObject({ provisionVMAgent: optBoolean }).nullish();

// Inline NIC definitions (`networkInterfaceConfigurations`, used by Flexible scale set members).
const inlineIpConfiguration = withProperties(
  {
    publicIPAddressConfiguration: withProperties({ publicIPAllocationMethod: optString }, { name: optString }).nullish(),
    loadBalancerBackendAddressPools: z.array(z.unknown()).nullish(),
    loadBalancerInboundNatPools: z.array(z.unknown()).nullish(),
  },
  { name: optString },
);
const inlineNetworkInterface = withProperties({ ipConfigurations: z.array(inlineIpConfiguration).nullish() }, { name: optString });

const vmProperties = {
  hardwareProfile: armObject({
    vmSize: optString,
    vmSizeProperties: armObject({ vCPUsAvailable: optNumber }).nullish(),
  }).nullish(),
  storageProfile: armObject({
    imageReference: imageReference.nullish(),
    osDisk: osDisk.nullish(),
    dataDisks: z.array(dataDisk).nullish(),
  }).nullish(),
  osProfile: armObject({ windowsConfiguration: osConfiguration, linuxConfiguration: osConfiguration }).nullish(),
  // Uniform scale set instances carry their NIC definitions here.
  networkProfileConfiguration: armObject({ networkInterfaceConfigurations: z.array(inlineNetworkInterface).nullish() }).nullish(),
  networkProfile: armObject({
    networkInterfaces: z.array(armObject({ id: optString })).nullish(),
    networkInterfaceConfigurations: z.array(inlineNetworkInterface).nullish(),
  }).nullish(),
  securityProfile: armObject({ securityType: optString }).nullish(),
  availabilitySet: optRef,
  virtualMachineScaleSet: optRef,
  instanceView: instanceView.nullish(),
  // `Spot` (or the older `Low`): evicted at will, and restored as a regular VM.
  priority: optString,
  // A dedicated host, or a host group that places it automatically.
  host: optRef,
  hostGroup: optRef,
  // Resource Graph rows carry a slice of the instance view here, since ARG has no $expand.
  extended: armObject({ instanceView: armObject({ osName: optString, osVersion: optString, powerState: status.nullish() }).nullish() }).nullish(),
};

export const armVirtualMachine = withProperties(vmProperties, {
  id: z.string(),
  name: optString,
  type: optString,
  location: optString,
  zones: optStringArray,
  managedBy: optString,
  // Read for one tag only: vm-backup-guard-exempt (core/exemptions).
  tags: z.record(z.string(), optString).nullish(),
  plan: armObject({ name: optString, publisher: optString, product: optString }).nullish(),
  // Uniform scale set instances carry their size here, with an empty hardwareProfile.
  sku: armObject({ name: optString }).nullish(),
  // Child resources returned by GET (extensions), used to find Azure Disk Encryption.
  resources: z
    .array(
      withProperties(
        { type: optString, publisher: optString },
        // az flattens the extension's own `type` to `typePropertiesType` (it clashes with the resource type).
        { id: optString, name: optString, typePropertiesType: optString },
      ),
    )
    .nullish(),
  // `az vm show -d` adds the power state as text ("VM deallocated").
  powerState: optString,
  // `{ type: EdgeZone, name: losangeles }`: a VM in an Azure Extended Zone.
  extendedLocation: armObject({ type: optString, name: optString }).nullish(),
  // REST: `type`; `az vm create` prints `systemAssignedIdentity` and `userAssignedIdentities` instead.
  identity: armObject({ type: optString, systemAssignedIdentity: optString, userAssignedIdentities: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});
export type ArmVirtualMachine = z.infer<typeof armVirtualMachine>;

const diskProperties = {
  diskSizeGB: optNumber,
  osType: optString,
  encryptionSettingsCollection: armObject({ enabled: optBoolean }).nullish(),
  // Server-side encryption: `EncryptionAtRestWithCustomerKey` (or with platform and customer keys) uses a disk encryption set.
  encryption: armObject({ type: optString, diskEncryptionSetId: optString }).nullish(),
  maxShares: optNumber,
  dataAccessAuthMode: optString,
  securityProfile: armObject({ securityType: optString, secureVMDiskEncryptionSetId: optString }).nullish(),
  creationData: armObject({ performancePlus: optBoolean }).nullish(),
};
export const armDisk = withProperties(diskProperties, {
  id: z.string(),
  name: optString,
  type: optString,
  managedBy: optString,
  sku: armObject({ name: optString }).nullish(),
});
export type ArmDisk = z.infer<typeof armDisk>;

const nicIpConfigurationProperties = {
  privateIPAllocationMethod: optString,
  publicIPAddress: optRef,
  loadBalancerBackendAddressPools: z.array(z.unknown()).nullish(),
  loadBalancerInboundNatRules: z.array(z.unknown()).nullish(),
};
const nicIpConfiguration = withProperties(nicIpConfigurationProperties, {
  name: optString,
});
const nicProperties = { ipConfigurations: z.array(nicIpConfiguration).nullish(), virtualMachine: optRef };
export const armNetworkInterface = withProperties(nicProperties, {
  id: z.string(),
  name: optString,
  type: optString,
});
export type ArmNetworkInterface = z.infer<typeof armNetworkInterface>;

const publicIpProperties = { publicIPAllocationMethod: optString };
export const armPublicIpAddress = withProperties(publicIpProperties, {
  id: z.string(),
  name: optString,
  type: optString,
});
export type ArmPublicIpAddress = z.infer<typeof armPublicIpAddress>;

const networkRules = armObject({ defaultAction: optString }).nullish();
// REST says `networkAcls`; `az storage account show` says `networkRuleSet`.
const storageAccountProperties = { networkAcls: networkRules, networkRuleSet: networkRules };
export const armStorageAccount = withProperties(storageAccountProperties, {
  id: z.string(),
  name: optString,
  type: optString,
});
export type ArmStorageAccount = z.infer<typeof armStorageAccount>;

const protectedItemProperties = {
  protectedItemType: optString,
  workloadType: optString,
  sourceResourceId: optString,
  virtualMachineId: optString,
  policyId: optString,
  protectionState: optString,
  // Selective disk backup: the data disk LUNs the backup includes (isInclusionList) or leaves out.
  extendedProperties: armObject({
    diskExclusionProperties: armObject({ diskLunList: z.array(z.union([z.number(), z.string(), z.null()])).nullish(), isInclusionList: optBoolean }).nullish(),
  }).nullish(),
};
export const armProtectedItem = withProperties(protectedItemProperties, {
  id: z.string(),
  name: optString,
  type: optString,
});
export type ArmProtectedItem = z.infer<typeof armProtectedItem>;

const retentionDuration = armObject({ count: optNumber, durationType: optString }).nullish();
const retentionTimes = optStringArray;
const policyProperties = {
  backupManagementType: optString,
  policyType: optString,
  // Enhanced (V2) policies only: `OnlyCrashConsistent` selects agentless crash-consistent backup.
  snapshotConsistencyType: optString,
  timeZone: optString,
  schedulePolicy: armObject({
    schedulePolicyType: optString,
    scheduleRunFrequency: optString,
    scheduleRunTimes: optStringArray,
    scheduleRunDays: optStringArray,
    hourlySchedule: armObject({ interval: optNumber, scheduleWindowDuration: optNumber }).nullish(),
    dailySchedule: armObject({ scheduleRunTimes: optStringArray }).nullish(),
    weeklySchedule: armObject({ scheduleRunDays: optStringArray, scheduleRunTimes: optStringArray }).nullish(),
  }).nullish(),
  retentionPolicy: armObject({
    retentionPolicyType: optString,
    // SimpleRetentionPolicy keeps `retentionDuration` alone.
    retentionDuration,
    dailySchedule: armObject({ retentionTimes, retentionDuration }).nullish(),
    weeklySchedule: armObject({ daysOfTheWeek: optStringArray, retentionTimes, retentionDuration }).nullish(),
    monthlySchedule: armObject({
      retentionScheduleFormatType: optString,
      retentionScheduleDaily: armObject({ daysOfTheMonth: z.array(z.unknown()).nullish() }).nullish(),
      retentionScheduleWeekly: armObject({ daysOfTheWeek: optStringArray, weeksOfTheMonth: optStringArray }).nullish(),
      retentionTimes,
      retentionDuration,
    }).nullish(),
    yearlySchedule: armObject({
      retentionScheduleFormatType: optString,
      monthsOfYear: optStringArray,
      retentionScheduleDaily: armObject({ daysOfTheMonth: z.array(z.unknown()).nullish() }).nullish(),
      retentionScheduleWeekly: armObject({ daysOfTheWeek: optStringArray, weeksOfTheMonth: optStringArray }).nullish(),
      retentionTimes,
      retentionDuration,
    }).nullish(),
  }).nullish(),
  instantRPDetails: armObject({ azureBackupRGNamePrefix: optString, azureBackupRGNameSuffix: optString }).nullish(),
  // Days the instant restore snapshots are kept: hourly policies keep every run's snapshot that long.
  instantRpRetentionRangeInDays: optNumber,
};
export const armBackupPolicy = withProperties(policyProperties, {
  id: z.string(),
  name: optString,
  type: optString,
});
export type ArmBackupPolicy = z.infer<typeof armBackupPolicy>;

export const armVault = armObject({ id: z.string(), name: optString, type: optString, location: optString });
export type ArmVault = z.infer<typeof armVault>;

const lockProperties = { level: optString };
export const armLock = withProperties(lockProperties, {
  id: z.string(),
  name: optString,
  type: optString,
});
export type ArmLock = z.infer<typeof armLock>;

/** A Marketplace image version (`az vm image show`, or GET .../publishers/{p}/artifacttypes/vmimage/offers/{o}/skus/{s}/versions/{v}). */
const imageVersionProperties = {
  imageDeprecationStatus: armObject({ imageState: optString, scheduledDeprecationTime: optString }).nullish(),
};
export const armImageVersion = withProperties(imageVersionProperties, {
  id: z.string(),
  name: optString,
  type: optString,
  location: optString,
});
export type ArmImageVersion = z.infer<typeof armImageVersion>;

/** An Azure Monitor diagnostic setting: an extension resource whose id starts with the id of the resource it watches. */
export const armDiagnosticSetting = armObject({ id: z.string(), name: optString, type: optString });
export type ArmDiagnosticSetting = z.infer<typeof armDiagnosticSetting>;

/** The REST shape nests fields under `properties`, the CLI shape flattens them; read either. */
export function propsOf<T extends { properties?: unknown }>(resource: T): T {
  const nested = resource.properties;
  if (nested === null || nested === undefined || typeof nested !== 'object') return resource;
  const merged: Record<string, unknown> = Object.assign({}, resource);
  const fields = nested as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged as T;
}
