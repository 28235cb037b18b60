import type { RuleDefinition } from '../types.js';
import { isResult, policyOrResult } from './protection.js';
import { fail, listOf, notApplicable, pass, unknown } from './result.js';
import { unknownDiskResources, unknownSharing } from './storage.js';

const ENHANCED_DISK_TYPES = new Set(['premiumv2_lrs', 'ultrassd_lrs']);

export const enhancedRequired: RuleDefinition = {
  id: 'policy.enhanced-required',
  title: 'Disks that need the Enhanced policy',
  check(s) {
    const needing = s.disks.filter((d) => ENHANCED_DISK_TYPES.has(d.storageType?.toLowerCase() ?? '') || (d.maxShares !== null && d.maxShares > 1));
    if (needing.length === 0) {
      // Only data disks can be shared, Ultra or Premium SSD v2; without their resource, sharing is open.
      const dataDisks = s.disks.filter((d) => d.role === 'data');
      const untyped = dataDisks.filter((d) => d.managed && d.resourceKnown && d.storageType === null);
      if (untyped.length > 0)
        return unknown(
          `The disk type of ${listOf(untyped.map((d) => d.name))} is not in the data.`,
          untyped.map((d) => `sku.name of ${d.managedDiskId ?? d.name}`),
        );
      return unknownSharing(dataDisks) ?? pass('No Premium SSD v2, Ultra or shared disk.');
    }
    const what = needing.map((d) => `${d.name} (${d.maxShares !== null && d.maxShares > 1 ? 'shared' : d.storageType})`);
    const evidence = { disks: what };
    if (s.protection.status === 'unknown')
      return unknown(`${listOf(what)} need the Enhanced policy; whether ${s.name} is protected, and how, could not be read.`, ['backup status of the VM']);
    if (s.protection.status !== 'protected') {
      return fail(
        `${listOf(what)} need${needing.length === 1 ? 's' : ''} the Enhanced policy: protect ${s.name} with an Enhanced (V2) policy.`,
        evidence,
        'warning',
      );
    }
    const policy = policyOrResult(s);
    if (isResult(policy)) return policy;
    if (policy.schedule?.policyType === 'V2') return pass(`Protected by Enhanced policy ${policy.name}.`, evidence);
    return fail(
      `${listOf(what)} need${needing.length === 1 ? 's' : ''} the Enhanced policy, but ${s.name} is protected by Standard policy ${policy.name}: backups will fail.`,
      evidence,
      'error',
    );
  },
};

export const dataDiskSecurityType: RuleDefinition = {
  id: 'security.data-disk-security-type',
  title: 'Data disks with a Trusted Launch or Confidential VM security type',
  check(s) {
    const dataDisks = s.disks.filter((d) => d.role === 'data');
    const typed = dataDisks.filter((d) => /^(trustedlaunch|confidentialvm)/i.test(d.securityType ?? ''));
    if (typed.length > 0) {
      return fail(`Data disk ${listOf(typed.map((d) => `${d.name} (${d.securityType})`))} has a security type meant for OS disks: not supported.`, {
        disks: typed.map((d) => ({ name: d.name, securityType: d.securityType })),
      });
    }
    const missing = unknownDiskResources(dataDisks, 'security type');
    if (missing) return missing;
    return pass(dataDisks.length === 0 ? 'No data disks.' : 'No data disk has a Trusted Launch or Confidential VM security type.');
  },
};

export const confidentialVm: RuleDefinition = {
  id: 'security.confidential-vm',
  title: 'Confidential VM backup prerequisites',
  check(s, e) {
    if (s.securityType?.toLowerCase() !== 'confidentialvm') return notApplicable('Not a Confidential VM.');
    const cvm = e.params.confidentialVm;
    if (cvm === null) return notApplicable('This edition has no Confidential VM row.');
    const problems: string[] = [];
    const missing: string[] = [];
    if (s.size.name === null) missing.push('hardwareProfile.vmSize');
    else if (!cvm.sizePattern.test(s.size.name)) problems.push(`size ${s.size.name} is not a v6 confidential size (DC*_v6 / EC*_v6)`);
    if (s.location === null) missing.push('location');
    else if (!cvm.regions.includes(s.location)) problems.push(`region ${s.location} is not one of ${cvm.regions.join(', ')}`);
    // "OS disk encryption only": the OS disk must be encrypted with the VM guest state. Platform- and
    // customer-managed keys are both supported (Microsoft's Confidential VM backup how-to).
    const encryption = s.disks.find((d) => d.role === 'os')?.securityEncryptionType ?? null;
    if (encryption === null) missing.push('storageProfile.osDisk.managedDisk.securityProfile.securityEncryptionType');
    else if (encryption.toLowerCase() !== 'diskwithvmgueststate')
      problems.push(`the OS disk is not confidentially encrypted (securityEncryptionType ${encryption}, not DiskWithVMGuestState)`);
    const evidence = { vmSize: s.size.name, location: s.location, securityEncryptionType: encryption };
    if (problems.length > 0) return fail(`Confidential VM ${s.name} cannot be backed up: ${problems.join('; ')}.`, { ...evidence, problems });
    if (missing.length > 0) return unknown(`Confidential VM ${s.name}: ${missing.join(', ')} not in the data.`, missing);
    return pass('v6 confidential size, supported region, OS disk encryption (DiskWithVMGuestState).', evidence);
  },
};

export const trustedLaunchPolicy: RuleDefinition = {
  id: 'security.trusted-launch-policy',
  title: 'Trusted Launch VM on a Standard policy',
  check(s) {
    if (s.securityType?.toLowerCase() !== 'trustedlaunch') return notApplicable('Not a Trusted Launch VM.');
    const policy = policyOrResult(s);
    if (isResult(policy)) return policy;
    if (policy.schedule === null) return unknown(`The type of policy ${policy.name ?? policy.id} is not in the data.`, ['policyType']);
    if (policy.schedule.policyType === 'V2') return pass(`Protected by Enhanced policy ${policy.name}.`);
    return fail(
      `Trusted Launch VM ${s.name} on Standard policy ${policy.name}: supported only when configured with Azure CLI 2.73.0+, Az PowerShell 14.0.0+ or REST API 2025-01-01+.`,
      { policy: policy.id },
    );
  },
};

export const securityRules2026 = [enhancedRequired, dataDiskSecurityType, confidentialVm, trustedLaunchPolicy];
