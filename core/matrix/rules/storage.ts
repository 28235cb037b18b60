import type { DiskFacts, VmSnapshot } from '../../snapshot/vmSnapshot.js';
import type { RuleDefinition, RuleResult } from '../types.js';
import { excludedFromBackup } from './diskExclusion.js';
import { isResult, policyOrResult } from './protection.js';
import { fail, listOf, notApplicable, pass, unknown } from './result.js';

const diskName = (d: DiskFacts) => (d.role === 'os' ? `${d.name} (OS)` : d.name);
const diskNames = (disks: readonly DiskFacts[]) => listOf(disks.map(diskName));

/** Every Azure VM has an OS disk; a snapshot without one came from a VM whose storageProfile is missing. */
function noStorageProfile(s: VmSnapshot): RuleResult | null {
  return s.disks.some((d) => d.role === 'os') ? null : unknown(`${s.name} lists no OS disk (storageProfile missing).`, ['storageProfile']);
}

/** Disk facts that only the managed disk resource carries: missing resources make the rule unknown. */
export function unknownDiskResources(disks: readonly DiskFacts[], fact: string): RuleResult | null {
  const missing = disks.filter((d) => d.managed && !d.resourceKnown);
  if (missing.length === 0) return null;
  const one = missing.length === 1;
  return unknown(
    `The ${fact} of ${diskNames(missing)} ${one ? 'is' : 'are'} known only from ${one ? 'its disk resource, which is' : 'their disk resources, which are'} not in the data.`,
    missing.map((d) => `managed disk ${d.managedDiskId ?? d.name}`),
  );
}

/** Whether a disk is shared, when only its resource would say: a Standard HDD never is (its maxShares is known to be 1). */
export function unknownSharing(disks: readonly DiskFacts[]): RuleResult | null {
  return unknownDiskResources(
    disks.filter((d) => d.maxShares === null),
    'maxShares',
  );
}

export const dataDiskCount: RuleDefinition = {
  id: 'storage.data-disk-count',
  title: 'Number of data disks',
  check(s, e) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const count = s.disks.filter((d) => d.role === 'data').length;
    const max = e.params.maxDataDisks;
    if (count > max) return fail(`${s.name} has ${count} data disks: backup supports at most ${max}.`, { dataDisks: count, max });
    return pass(`${count} data disk${count === 1 ? '' : 's'} (at most ${max}).`, { dataDisks: count, max });
  },
};

export const diskSize: RuleDefinition = {
  id: 'storage.disk-size',
  title: 'Disk size',
  check(s, e) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const { maxDiskSizeGiB, maxTotalDiskSizeGiB } = e.params;
    const tooLarge = s.disks.filter((d) => d.sizeGiB !== null && d.sizeGiB > maxDiskSizeGiB);
    if (tooLarge.length > 0) {
      return fail(`${diskNames(tooLarge)} ${tooLarge.length === 1 ? 'is' : 'are'} larger than ${maxDiskSizeGiB} GB, the largest disk backup supports.`, {
        disks: tooLarge.map((d) => ({ name: d.name, sizeGiB: d.sizeGiB })),
        maxDiskSizeGiB,
      });
    }
    const total = s.disks.reduce((sum, d) => sum + (d.sizeGiB ?? 0), 0);
    if (maxTotalDiskSizeGiB !== null && total > maxTotalDiskSizeGiB) {
      return fail(`The disks of ${s.name} add up to ${total} GB: backup supports at most ${maxTotalDiskSizeGiB} GB per VM.`, {
        totalGiB: total,
        maxTotalDiskSizeGiB,
      });
    }
    const unsized = s.disks.filter((d) => d.sizeGiB === null);
    if (unsized.length > 0)
      return unknown(
        `The size of ${diskNames(unsized)} is not in the data.`,
        unsized.map((d) => `diskSizeGB of ${d.managedDiskId ?? d.name}`),
      );
    return pass(`Every disk is at most ${maxDiskSizeGiB} GB (total ${total} GB).`, { totalGiB: total });
  },
};

/** An edition's list of names, lower-cased once per edition rather than once per VM. */
const lowerCasedLists = new WeakMap<readonly string[], ReadonlySet<string>>();
function lowerCased(list: readonly string[]): ReadonlySet<string> {
  let set = lowerCasedLists.get(list);
  if (set === undefined) {
    set = new Set(list.map((t) => t.toLowerCase()));
    lowerCasedLists.set(list, set);
  }
  return set;
}

export const diskType: RuleDefinition = {
  id: 'storage.disk-type',
  title: 'Managed disk type',
  check(s, e) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const supported = e.params.supportedDiskTypes;
    const supportedLower = lowerCased(supported);
    const managed = s.disks.filter((d) => d.managed);
    if (managed.length === 0) return pass('No managed disks (unmanaged disks are judged by storage.unmanaged-disks).');
    const unsupported = managed.filter((d) => d.storageType !== null && !supportedLower.has(d.storageType.toLowerCase()));
    if (unsupported.length > 0) {
      return fail(`${unsupported.map((d) => `${diskName(d)} is ${d.storageType}`).join('; ')}: backup supports ${supported.join(', ')}.`, {
        disks: unsupported.map((d) => ({ name: d.name, type: d.storageType })),
      });
    }
    const untyped = managed.filter((d) => d.storageType === null);
    if (untyped.length > 0)
      return unknown(
        `The disk type of ${diskNames(untyped)} is not in the data.`,
        untyped.map((d) => `sku.name of ${d.managedDiskId ?? d.name}`),
      );
    return pass(`Disk types: ${[...new Set(managed.map((d) => d.storageType))].join(', ')}.`);
  },
};

export const standardSsd: RuleDefinition = {
  id: 'storage.standard-ssd',
  title: 'Standard SSD needs Instant Restore',
  check(s) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const ssd = s.disks.filter((d) => d.storageType?.toLowerCase() === 'standardssd_lrs');
    if (ssd.length > 0)
      return fail(`${diskNames(ssd)} ${ssd.length === 1 ? 'is' : 'are'} Standard SSD: supported only on the Instant Restore backup stack.`, {
        disks: ssd.map((d) => d.name),
      });
    const untyped = s.disks.filter((d) => d.managed && d.storageType === null);
    if (untyped.length > 0)
      return unknown(
        `The disk type of ${diskNames(untyped)} is not in the data.`,
        untyped.map((d) => `sku.name of ${d.managedDiskId ?? d.name}`),
      );
    return pass('No Standard SSD disks.');
  },
};

export const writeAccelerator: RuleDefinition = {
  id: 'storage.write-accelerator',
  title: 'Write Accelerator disks',
  check(s) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const accelerated = s.disks.filter((d) => d.writeAccelerator);
    if (accelerated.length > 0) {
      return fail(
        `${diskNames(accelerated)} ${accelerated.length === 1 ? 'has' : 'have'} Write Accelerator enabled: not supported; on Instant Restore, exclude ${accelerated.length === 1 ? 'it' : 'them'} from the backup.`,
        {
          disks: accelerated.map((d) => d.name),
        },
      );
    }
    return pass('No disk has Write Accelerator enabled.');
  },
};

const ADE_EXTENSIONS = new Set(['azurediskencryption', 'azurediskencryptionforlinux']);

export const ade: RuleDefinition = {
  id: 'storage.ade',
  title: 'Azure Disk Encryption',
  check(s) {
    const encrypted = s.disks.filter((d) => d.adeEnabled);
    const extension = s.extensions.types.find((t) => ADE_EXTENSIONS.has(t));
    if (encrypted.length > 0 || extension) {
      return fail(`${s.name} uses Azure Disk Encryption: no file/folder recovery, and replace-disks is unavailable; restore the whole VM or its disks.`, {
        encryptedDisks: encrypted.map((d) => d.name),
        extension: extension ?? null,
      });
    }
    return pass('No Azure Disk Encryption found (encryption settings, ADE extension).');
  },
};

export const unmanagedDisks: RuleDefinition = {
  id: 'storage.unmanaged-disks',
  title: 'Unmanaged disks',
  check(s, e) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const unmanaged = s.disks.filter((d) => !d.managed && d.vhdUri);
    if (unmanaged.length > 0) {
      const message = !e.params.unmanagedDisksSupported
        ? `${diskNames(unmanaged)} ${unmanaged.length === 1 ? 'is an unmanaged disk' : 'are unmanaged disks'}: backup of VMs with unmanaged disks is no longer supported; migrate to managed disks.`
        : `${diskNames(unmanaged)} ${unmanaged.length === 1 ? 'is an unmanaged disk' : 'are unmanaged disks'}: no replace-disks restore, and into an availability set only by restoring the disks.`;
      return fail(message, { disks: unmanaged.map((d) => ({ name: d.name, vhd: d.vhdUri })) });
    }
    return pass('All disks are managed.');
  },
};

export const unmanagedFirewall: RuleDefinition = {
  id: 'storage.unmanaged-firewall',
  title: 'Unmanaged disks behind a storage firewall',
  check(s) {
    const unmanaged = s.disks.filter((d) => !d.managed && d.vhdUri);
    if (unmanaged.length === 0) return notApplicable('No unmanaged disks.');
    const denied = s.storageAccounts.filter((a) => a.known && a.defaultAction?.toLowerCase() === 'deny');
    if (denied.length > 0) {
      return fail(
        `Storage account ${listOf(denied.map((a) => a.name))} restricts network access (default action Deny): backup and file recovery need access from all networks.`,
        {
          storageAccounts: denied.map((a) => a.name),
        },
      );
    }
    const unknownAccounts = s.storageAccounts.filter((a) => !a.known);
    const unparsable = unmanaged.filter((d) => d.storageAccountName === null);
    if (unknownAccounts.length > 0 || unparsable.length > 0) {
      const what = [...unknownAccounts.map((a) => `storage account ${a.name}`), ...unparsable.map((d) => `the storage account of ${d.name}`)];
      return unknown(`${listOf(what).replace(/^./, (c) => c.toUpperCase())} ${what.length === 1 ? 'is' : 'are'} not in the data.`, [
        ...unknownAccounts.map((a) => `storage account ${a.name}`),
        ...unparsable.map((d) => `storage account of ${d.vhdUri}`),
      ]);
    }
    return pass('The storage accounts of the unmanaged disks allow all networks.');
  },
};

const isShared = (d: DiskFacts) => d.maxShares !== null && d.maxShares > 1;

export const sharedDisk: RuleDefinition = {
  id: 'storage.shared-disk',
  title: 'Shared disks',
  check(s) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const shared = s.disks.filter(isShared);
    const backedUp = shared.filter((d) => excludedFromBackup(s, d) === false);
    if (backedUp.length > 0) {
      return fail(
        `${diskNames(backedUp)} ${backedUp.length === 1 ? 'is a shared disk' : 'are shared disks'} (maxShares > 1): not supported; exclude with selective disk backup on an Enhanced policy.`,
        {
          disks: backedUp.map((d) => ({ name: d.name, lun: d.lun, maxShares: d.maxShares })),
        },
      );
    }
    const unreadable = shared.filter((d) => excludedFromBackup(s, d) === null);
    if (unreadable.length > 0) {
      return unknown(`Whether shared disk ${diskNames(unreadable)} is left out of the backup cannot be read from the protected item's disk exclusion list.`, [
        'extendedProperties.diskExclusionProperties of the protected item',
        ...unreadable.filter((d) => d.lun === null).map((d) => `lun of ${d.name}`),
      ]);
    }
    // An OS disk cannot be shared: only data disks that are backed up leave the answer open.
    const sharingUnknown = unknownSharing(s.disks.filter((d) => d.role === 'data' && excludedFromBackup(s, d) !== true));
    if (sharingUnknown) return sharingUnknown;
    if (shared.length === 0) return pass('No shared disks.');
    return excludedUnderEnhancedPolicy(s, shared);
  },
};

/** Every shared disk is left out of the backup: "You can exclude shared disk with Enhanced policy". */
function excludedUnderEnhancedPolicy(s: VmSnapshot, shared: readonly DiskFacts[]): RuleResult {
  const policy = policyOrResult(s);
  if (isResult(policy)) return policy;
  const evidence = { disks: shared.map((d) => ({ name: d.name, lun: d.lun, maxShares: d.maxShares })), excluded: true, policy: policy.id };
  if (policy.schedule === null)
    return unknown(
      `${diskNames(shared)} ${shared.length === 1 ? 'is' : 'are'} excluded from the backup; whether policy ${policy.name ?? policy.id} is Enhanced is not in the data.`,
      ['policyType'],
    );
  if (policy.schedule.policyType === 'V2')
    return pass(
      `Shared disk ${diskNames(shared)} ${shared.length === 1 ? 'is' : 'are'} excluded from the backup (selective disk backup) under Enhanced policy ${policy.name}.`,
      evidence,
    );
  return fail(
    `Shared disk ${diskNames(shared)} ${shared.length === 1 ? 'is' : 'are'} excluded from the backup, but ${s.name} is on Standard policy ${policy.name}: excluding shared disks needs the Enhanced policy.`,
    evidence,
  );
}

export const entraDataAccess: RuleDefinition = {
  id: 'storage.entra-data-access',
  title: 'Disks with Entra ID data access',
  check(s) {
    const missing = noStorageProfile(s);
    if (missing) return missing;
    const entra = s.disks.filter((d) => d.dataAccessAuthMode?.toLowerCase() === 'azureactivedirectory');
    if (entra.length > 0) {
      return fail(
        `${diskNames(entra)} ${entra.length === 1 ? 'uses' : 'use'} Entra ID authentication for data access (dataAccessAuthMode AzureActiveDirectory): not supported.`,
        { disks: entra.map((d) => d.name) },
      );
    }
    return unknownDiskResources(s.disks, 'dataAccessAuthMode') ?? pass('No disk uses Entra ID data access.');
  },
};

export const storageRules = [dataDiskCount, diskSize, diskType, standardSsd, writeAccelerator, ade, unmanagedDisks, unmanagedFirewall];
export const storageRules2026 = [sharedDisk, entraDataAccess];
