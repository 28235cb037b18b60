import { EXEMPT_TAG } from '../armModel/exemptTag.js';
import type { SizeCatalogue } from '../inventory/sizeCatalogue.js';
import type { ArmStorageAccount, ArmVirtualMachine } from '../armModel/armSchemas.js';
import { propsOf } from '../armModel/armSchemas.js';
import { idKey, parseArmId } from '../armModel/armId.js';
import { diskFactsOf } from './diskFacts.js';
import { imageVersionKey, resourceById, type InventoryIndex } from './inventoryIndex.js';
import { normaliseLocation } from '../armModel/location.js';
import { lockFactsOf } from './lockFacts.js';
import { nicFactsOf } from './networkFacts.js';
import { osFactsOf } from './osFacts.js';
import { protectionFactsOf } from './protectionFacts.js';
import type { VmSnapshot } from './vmSnapshot.js';

const UNIFORM_INSTANCE_ID = /\/virtualmachinescalesets\/[^/]+\/virtualmachines\/[^/]+\/?$/i;
const SCALE_SET_VM_TYPE = 'microsoft.compute/virtualmachinescalesets/virtualmachines';
// Instance-view status codes, matched without a lower-cased copy of each.
const POWER_STATE = /^powerstate\//i;
const OS_STATE = /^osstate\//i;

/** Resolves one VM and the resources it references into the facts the rules read. Pure: no I/O. */
export interface SnapshotOptions {
  /** Why the VM's backup protection could not be read (live reads without the Backup Reader role): protection is unknown. */
  protectionUnreadable?: string;
  /** Why the subscription's locks could not be read: the lock rule is unknown rather than passing. */
  locksUnreadable?: string;
  /**
   * Why this reader does not read diagnostic settings at all (the live readers: Resource Graph does not list them,
   * and the event path and the sweep must agree on every fact they fingerprint): the rule steps aside, saying so,
   * instead of an `unknown` finding on every VM of the fleet.
   */
  diagnosticSettingsNotRead?: string;
}

/** What the live readers (events, sweep, scan) pass: they read no diagnostic settings. */
export const LIVE_READER_OPTIONS: Pick<SnapshotOptions, 'diagnosticSettingsNotRead'> = {
  diagnosticSettingsNotRead:
    'live evaluations (events, the sweep, scan) do not read diagnostic settings; check them offline with an inventory document that has a diagnosticSettings list',
};

export function buildVmSnapshot(vm: ArmVirtualMachine, index: InventoryIndex, sizes: SizeCatalogue, options: SnapshotOptions = {}): VmSnapshot {
  const p = propsOf(vm);
  const parsedId = parseArmId(vm.id);
  const location = normaliseLocation(vm.location);
  const missing: string[] = [];
  const iv = p.instanceView ?? null;
  // Resource Graph has no $expand: its rows carry the power state and OS name under properties.extended.instanceView.
  const graphView = p.extended?.instanceView ?? null;
  const storage = p.storageProfile ?? null;
  const image = storage?.imageReference ?? null;
  const encrypted = encryptedDiskNames(iv?.disks);
  const disks = diskFactsOf(storage, index, missing, encrypted);

  const sizeName = p.hardwareProfile?.vmSize ?? vm.sku?.name ?? null;
  const catalogued = sizeName ? sizes.lookup(sizeName, location) : null;
  const vCpusAvailable = p.hardwareProfile?.vmSizeProperties?.vCPUsAvailable ?? null;

  const osDiskResource = disks[0]?.role === 'os' && disks[0].managedDiskId ? resourceById(index.disks, disks[0].managedDiskId) : undefined;
  const osType =
    storage?.osDisk?.osType ??
    (osDiskResource ? propsOf(osDiskResource).osType : null) ??
    (p.osProfile?.windowsConfiguration ? 'Windows' : p.osProfile?.linuxConfiguration ? 'Linux' : null);

  const protection = options.protectionUnreadable
    ? { status: 'unknown' as const, itemId: null, protectionState: null, diskExclusion: null, policy: null, vault: null }
    : protectionFactsOf(vm.id, index, missing);
  if (options.protectionUnreadable) missing.push(`backup protection (${options.protectionUnreadable})`);
  const resourceType = (vm.type ?? parsedId.type ?? 'microsoft.compute/virtualmachines').toLowerCase();

  const extensionTypes: string[] = [];
  // The extension's own type (AzureDiskEncryption), not the child resource type (Microsoft.Compute/.../extensions).
  for (const r of vm.resources ?? []) addExtensionType(extensionTypes, r.typePropertiesType ?? r.properties?.type ?? (r.type?.includes('/') ? null : r.type));
  for (const e of iv?.extensions ?? []) addExtensionType(extensionTypes, e.type);

  return {
    id: vm.id,
    name: vm.name ?? parsedId.name ?? vm.id,
    subscriptionId: parsedId.subscriptionId,
    resourceGroup: parsedId.resourceGroup,
    location,
    resourceType,
    // Only when tagged: an absent key keeps every untagged VM's fingerprint as it was (no fleet-wide re-evaluation).
    ...exemptTagOf(vm.tags),
    zones: vm.zones ?? [],
    size: {
      name: sizeName,
      vCpus: vCpusAvailable ?? catalogued?.vCpus ?? null,
      memoryGiB: catalogued?.memoryGiB ?? null,
      vCpusAvailable,
    },
    scaleSet: {
      uniformInstance: UNIFORM_INSTANCE_ID.test(vm.id) || resourceType === SCALE_SET_VM_TYPE,
      memberOf: p.virtualMachineScaleSet?.id ?? (vm.managedBy && /\/virtualmachinescalesets\//i.test(vm.managedBy) ? vm.managedBy : null),
    },
    availabilitySetId: p.availabilitySet?.id ?? null,
    image: {
      kind: imageKind(image, vm.plan),
      publisher: image?.publisher ?? null,
      offer: image?.offer ?? null,
      sku: image?.sku ?? null,
      id: image?.id ?? image?.sharedGalleryImageId ?? image?.communityGalleryImageId ?? null,
      plan: vm.plan ? [vm.plan.publisher, vm.plan.product, vm.plan.name].filter(Boolean).join('/') : null,
      version: image?.exactVersion ?? image?.version ?? null,
      deprecation: deprecationOf(image, index),
    },
    os: osFactsOf({
      osName: iv?.osName ?? graphView?.osName ?? null,
      osVersion: iv?.osVersion ?? graphView?.osVersion ?? null,
      publisher: image?.publisher ?? null,
      offer: image?.offer ?? null,
      sku: image?.sku ?? null,
      osType: osType ?? null,
    }),
    agent: {
      provisionVmAgent: p.osProfile?.windowsConfiguration?.provisionVMAgent ?? p.osProfile?.linuxConfiguration?.provisionVMAgent ?? null,
      osProfilePresent: p.osProfile !== null && p.osProfile !== undefined,
      instanceViewPresent: iv !== null,
      version: iv?.vmAgent?.vmAgentVersion ?? null,
      status: iv?.vmAgent?.statuses?.find((s) => s.displayStatus)?.displayStatus ?? null,
      pending: agentPendingReason(iv),
    },
    powerState: powerStateOf(iv?.statuses ?? (graphView?.powerState ? [graphView.powerState] : null), vm.powerState),
    osState:
      iv?.statuses
        ?.find((s) => OS_STATE.test(s.code ?? ''))
        ?.code?.slice('osstate/'.length)
        .toLowerCase() ?? null,
    securityType: p.securityProfile?.securityType ?? null,
    modelKnown: p.storageProfile != null || p.hardwareProfile != null,
    priority: p.priority ?? null,
    dedicatedHost: p.host?.id ?? p.hostGroup?.id ?? null,
    extendedZone: vm.extendedLocation?.type?.toLowerCase() === 'edgezone' ? (vm.extendedLocation.name ?? 'an Extended Zone') : null,
    managedIdentities: identitiesOf(vm.identity),
    diagnosticSettings: diagnosticSettingsOf(vm.id, index, options.diagnosticSettingsNotRead),
    disks,
    extensions: { known: vm.resources !== null && vm.resources !== undefined ? true : Boolean(iv?.extensions), types: extensionTypes },
    nics: nicFactsOf(p.networkProfile, index, missing, p.networkProfileConfiguration?.networkInterfaceConfigurations),
    storageAccounts: storageAccountsOf(disks, index, missing),
    protection,
    locks: lockFactsOf(
      { subscriptionId: parsedId.subscriptionId, resourceGroup: parsedId.resourceGroup, location },
      { prefix: protection.policy?.restorePointGroupPrefix ?? null, suffix: protection.policy?.restorePointGroupSuffix ?? null },
      index.locks,
    ),
    locksKnown: !options.locksUnreadable,
    missing: options.locksUnreadable ? [...missing, `management locks (${options.locksUnreadable})`] : missing,
  };
}

/** The deprecation state of the Marketplace image version the VM runs, when that version is in the data. */
function deprecationOf(
  image: { publisher?: string | null; offer?: string | null; sku?: string | null; version?: string | null; exactVersion?: string | null } | null,
  index: InventoryIndex,
): VmSnapshot['image']['deprecation'] {
  const version = image?.exactVersion ?? image?.version;
  const found =
    image?.publisher && image.offer && image.sku && version
      ? index.imageVersions.get(imageVersionKey(image.publisher, image.offer, image.sku, version))
      : undefined;
  if (!found) return { known: false, state: null, scheduledTime: null };
  const status = propsOf(found).imageDeprecationStatus;
  // An image version without a deprecation status is active.
  return { known: true, state: status?.imageState ?? 'Active', scheduledTime: status?.scheduledDeprecationTime ?? null };
}

/** `SystemAssigned, UserAssigned` → both kinds; `None` or absent → none. `az vm create` output names them by their fields. */
function identitiesOf(
  identity: { type?: string | null; systemAssignedIdentity?: string | null; userAssignedIdentities?: Record<string, unknown> | null } | null | undefined,
): string[] {
  if (!identity) return [];
  if (identity.type)
    return identity.type
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '' && t.toLowerCase() !== 'none');
  return [
    ...(identity.systemAssignedIdentity ? ['SystemAssigned'] : []),
    ...(Object.keys(identity.userAssignedIdentities ?? {}).length > 0 ? ['UserAssigned'] : []),
  ];
}

function diagnosticSettingsOf(vmId: string, index: InventoryIndex, notRead: string | undefined): VmSnapshot['diagnosticSettings'] {
  const key = idKey(vmId);
  const ids = index.diagnosticSettingsByTarget.get(key) ?? [];
  const known = ids.length > 0 || index.diagnosticSettingsRead.has(key);
  return notRead ? { known, ids, notRead } : { known, ids };
}

/** Names (lower-cased) of the disks the instance view reports with Azure Disk Encryption enabled. */
function encryptedDiskNames(
  disks: readonly { name?: string | null; encryptionSettings?: readonly { enabled?: boolean | null }[] | null }[] | null | undefined,
): Set<string> {
  const names = new Set<string>();
  for (const d of disks ?? []) if (d.encryptionSettings?.some((e) => e.enabled === true)) names.add((d.name ?? '').toLowerCase());
  return names;
}

/** `Microsoft.Azure.Security.AzureDiskEncryption` → `azurediskencryption`. */
function addExtensionType(types: string[], type: string | null | undefined): void {
  if (type) types.push(type.slice(type.lastIndexOf('.') + 1).toLowerCase());
}

/**
 * Why the VM agent cannot report yet, so a missing agent is not read as a broken one: the OS is still being provisioned
 * (`ProvisioningState/creating/osProvisioningInProgress`), or the agent's status blob exists but is not yet populated.
 */
function agentPendingReason(
  iv: { statuses?: readonly { code?: string | null }[] | null; vmAgent?: { statuses?: readonly { message?: string | null }[] | null } | null } | null,
): string | null {
  if (iv?.statuses?.some((s) => /osprovisioninginprogress/i.test(s.code ?? ''))) return 'the OS is still being provisioned (osProvisioningInProgress)';
  const blob = iv?.vmAgent?.statuses?.find((s) => /status blob is found but not yet populated/i.test(s.message ?? ''));
  if (blob) return `the VM agent's status blob is not yet populated ("${blob.message}")`;
  return null;
}

function imageKind(
  image: {
    publisher?: string | null;
    offer?: string | null;
    id?: string | null;
    sharedGalleryImageId?: string | null;
    communityGalleryImageId?: string | null;
  } | null,
  plan: unknown,
): VmSnapshot['image']['kind'] {
  if (plan) return 'marketplace-plan';
  if (!image) return 'none';
  if (image.sharedGalleryImageId || image.communityGalleryImageId || /\/galleries\//i.test(image.id ?? '')) return 'gallery';
  if (image.id) return 'custom';
  return image.publisher && image.offer ? 'platform' : 'none';
}

/** `PowerState/deallocated` from the instance view, or `az vm show -d`'s "VM deallocated". */
function powerStateOf(statuses: readonly { code?: string | null }[] | null | undefined, cliPowerState: string | null | undefined): string | null {
  const code = statuses?.find((s) => POWER_STATE.test(s.code ?? ''))?.code;
  if (code) return code.slice('powerstate/'.length).toLowerCase();
  if (cliPowerState)
    return cliPowerState
      .replace(/^vm\s+/i, '')
      .trim()
      .toLowerCase();
  return null;
}

function storageAccountsOf(disks: VmSnapshot['disks'], index: InventoryIndex, missing: string[]): VmSnapshot['storageAccounts'] {
  const names = [...new Set(disks.flatMap((d) => (d.storageAccountName ? [d.storageAccountName] : [])))];
  return names.map((name) => {
    const account = index.storageAccountsByName.get(name);
    if (!account) missing.push(`storage account ${name}`);
    return { name, known: account !== undefined, defaultAction: account ? defaultActionOf(account) : null };
  });
}

/** ARM's default for an account without network rules is Allow. */
function defaultActionOf(account: Parameters<typeof propsOf<ArmStorageAccount>>[0]): string {
  const p = propsOf(account);
  return p.networkAcls?.defaultAction ?? p.networkRuleSet?.defaultAction ?? 'Allow';
}

/** ARM tag names are case-insensitive: `Vm-Backup-Guard-Exempt` is the same tag. */
function exemptTagOf(tags: Record<string, string | null | undefined> | null | undefined): { exemptTag?: string } {
  for (const name in tags ?? {}) {
    const value = tags![name];
    if (name.length === EXEMPT_TAG.length && name.toLowerCase() === EXEMPT_TAG && value) return { exemptTag: value };
  }
  return {};
}
