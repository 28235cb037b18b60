import type { VmSnapshot } from '../snapshot/vmSnapshot.js';

/**
 * What the current page's configuration rows do to each restore path (the rules compute.spot-vm, compute.dedicated-host,
 * compute.deprecated-image, compute.diagnostic-settings, compute.managed-identity, storage.performance-plus). Only facts
 * the data holds count: an unknown deprecation or diagnostic setting is the rule's `unknown`, not a restore limit.
 */
export interface ConfigurationLimits {
  createVmUnavailable: string[];
  createVmLimited: string[];
  /** Limits of every restore from vault-tier recovery points (create VM and restore disks from the vault tier). */
  vaultTier: string[];
  crossRegion: string[];
}

export function configurationLimits(s: VmSnapshot): ConfigurationLimits {
  const limits: ConfigurationLimits = { createVmUnavailable: [], createVmLimited: [], vaultTier: [], crossRegion: [] };
  const priority = s.priority?.toLowerCase();
  if (priority === 'spot' || priority === 'low') limits.createVmLimited.push('a Spot VM is restored as a regular VM (compute.spot-vm)');
  if (s.dedicatedHost)
    limits.createVmLimited.push('not placed on the dedicated host: restore the disks and create the VM on the host (compute.dedicated-host)');
  if (s.image.kind === 'marketplace-plan' && s.image.deprecation.state?.toLowerCase() === 'deprecated') {
    limits.createVmUnavailable.push('the Marketplace plan is deprecated: "restore will fail" (compute.deprecated-image)');
  }
  if (s.diagnosticSettings.ids.length > 0) limits.createVmUnavailable.push('fails for a VM with diagnostic settings (compute.diagnostic-settings)');
  if (s.managedIdentities.length > 0)
    limits.crossRegion.push(`the ${s.managedIdentities.join(' and ')} managed identity is not restored cross-region (compute.managed-identity)`);
  const plus = s.disks.filter((d) => d.performancePlus === true);
  if (plus.length > 0)
    limits.vaultTier.push(
      `from the vault tier, ${plus.map((d) => d.name).join(', ')} come${plus.length === 1 ? 's' : ''} back without performance plus (storage.performance-plus)`,
    );
  return limits;
}
