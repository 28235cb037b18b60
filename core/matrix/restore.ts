import type { DiskFacts, VmSnapshot } from '../snapshot/vmSnapshot.js';
import { configurationLimits } from './configurationLimits.js';
import { crossRegionRestore, crossSubscriptionRestore, crossZonalRestore } from './crossRestore.js';
import type { EditionParameters } from './editions/parameters.js';
import { diskTypeName, restoreMethod as method, type RestoreMethod } from './restoreMethod.js';
import { excludedFromBackup } from './rules/diskExclusion.js';

export type { RestoreMethod, RestoreStatus } from './restoreMethod.js';

/** Which restore paths will work for a VM, from the matrix rows on restore methods, file restore and VM management. */
export interface RestoreReadiness {
  createVm: RestoreMethod;
  restoreDisks: RestoreMethod;
  replaceDisks: RestoreMethod;
  fileRecovery: RestoreMethod;
  /** Present from edition 2026-03: restore into the paired region. */
  crossRegionRestore?: RestoreMethod;
  /** Present from edition 2026-03: restore into another subscription of the same tenant. */
  crossSubscriptionRestore?: RestoreMethod;
  /** Present from edition 2026-03, for zone-pinned VMs: restore into another availability zone. */
  crossZonalRestore?: RestoreMethod;
}

const ADE_EXTENSIONS = new Set(['azurediskencryption', 'azurediskencryptionforlinux']);

function specialNetwork(s: VmSnapshot): string | null {
  const publicConfigs = s.nics.reduce((n, nic) => n + nic.ipConfigurations.filter((c) => c.publicIp).length, 0);
  if (s.nics.length > 1) return `${s.nics.length} NICs`;
  if (s.nics.some((n) => n.ipConfigurations.some((c) => c.loadBalancerBackendPools > 0 || c.inboundNatRules > 0))) return 'a load balancer or inbound NAT rule';
  if (publicConfigs > 1) return 'several public IPs';
  return null;
}

export function restoreReadiness(s: VmSnapshot, params: EditionParameters): RestoreReadiness {
  const network = specialNetwork(s);
  const nicsUnknown = s.nics.some((n) => !n.known) ? ['network interfaces not in the data'] : [];
  const encrypted = s.disks.some((d) => d.adeEnabled) || s.extensions.types.some((t) => ADE_EXTENSIONS.has(t));
  const unmanaged = s.disks.filter((d) => !d.managed && d.vhdUri);

  const config = params.restore.configurationLimits ? configurationLimits(s) : null;
  const createLimited: string[] = [...(config?.createVmLimited ?? []), ...(config?.vaultTier ?? [])];
  if (s.availabilitySetId) createLimited.push('in an availability set: restore the disks and deploy into the set from the template');
  if (network) createLimited.push(`special network configuration (${network}): restore the disks and recreate the VM from the template`);

  const replaceUnavailable: string[] = [];
  if (unmanaged.length > 0) replaceUnavailable.push('needs managed disks; this VM has unmanaged disks');
  if (encrypted) replaceUnavailable.push('needs non-encrypted disks; this VM uses Azure Disk Encryption');
  if (params.restore.replaceDisksNeedsSpecialized && s.osState === 'generalized') replaceUnavailable.push('the VM is generalized');

  const fileUnavailable: string[] = [];
  const fileUnknown: string[] = [];
  if (encrypted) fileUnavailable.push('not for VMs encrypted with Azure Disk Encryption');
  if (unmanaged.length > 0) {
    const denied = s.storageAccounts.filter((a) => a.known && a.defaultAction?.toLowerCase() === 'deny');
    if (denied.length > 0) fileUnavailable.push(`not from storage accounts with network restrictions (${denied.map((a) => a.name).join(', ')})`);
    else if (s.storageAccounts.some((a) => !a.known)) fileUnknown.push('storage accounts of the unmanaged disks not in the data');
  }
  if (params.restore.fileRecoveryExcludesSpecialDisks) {
    // A disk selective disk backup leaves out is in no recovery point, so it cannot stop file recovery from the others.
    const special = s.disks.filter((d) => isFileRecoveryExcluded(d) && excludedFromBackup(s, d) !== true);
    if (special.length > 0) fileUnavailable.push(`not for ${special.map((d) => `${d.name} (${fileRecoveryExclusion(d)})`).join(', ')}`);
  }
  const fileLimited = network ? [`special network configuration (${network}): restore files to another compatible VM, not this one`] : [];

  const readiness: RestoreReadiness = {
    createVm: method(config?.createVmUnavailable ?? [], createLimited, nicsUnknown),
    restoreDisks: method([], config?.vaultTier ?? [], []),
    replaceDisks: method(replaceUnavailable, [], []),
    fileRecovery: method(fileUnavailable, fileLimited, [...fileUnknown, ...nicsUnknown]),
  };
  // Cross-region, cross-subscription and cross-zone restores all start from vault-tier recovery points.
  const vaultTier = config?.vaultTier ?? [];
  if (params.restore.crossRegionRestore)
    readiness.crossRegionRestore = crossRegionRestore(s, params.restore.crossRegionRestore, [...(config?.crossRegion ?? []), ...vaultTier]);
  if (params.restore.crossSubscriptionRestore) readiness.crossSubscriptionRestore = crossSubscriptionRestore(s, encrypted, vaultTier);
  const crossZonal = params.restore.crossZonalRestore ? crossZonalRestore(s, vaultTier) : null;
  if (crossZonal) readiness.crossZonalRestore = crossZonal;
  return readiness;
}

/**
 * A VM the matrix does not let Azure Backup protect has no recovery points: every restore path is not applicable, for
 * the reasons given (the failing rules), so readiness never says "restore disks ✔" beside "cannot be backed up".
 */
export function notProtectable(readiness: RestoreReadiness, reasons: readonly string[]): RestoreReadiness {
  const none = { status: 'notApplicable' as const, reasons: [`cannot be backed up: ${reasons.join('; ')}`] };
  const out = {} as RestoreReadiness;
  for (const key of Object.keys(readiness) as (keyof RestoreReadiness)[]) out[key] = none;
  return out;
}

function fileRecoveryExclusion(d: DiskFacts): string | null {
  if (d.maxShares !== null && d.maxShares > 1) return 'shared disk';
  const typeName = diskTypeName(d.storageType);
  if (typeName) return typeName;
  if (d.writeAccelerator) return 'Write Accelerator';
  return null;
}

function isFileRecoveryExcluded(d: DiskFacts): boolean {
  return fileRecoveryExclusion(d) !== null;
}
