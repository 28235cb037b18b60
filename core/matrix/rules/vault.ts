import { parseArmId } from '../../armModel/armId.js';
import type { VmSnapshot } from '../../snapshot/vmSnapshot.js';
import type { RuleDefinition, RuleResult } from '../types.js';
import { fail, notApplicable, pass, unknown } from './result.js';

type Vault = NonNullable<VmSnapshot['protection']['vault']>;

function vaultOrResult(s: VmSnapshot): Vault | RuleResult {
  const p = s.protection;
  if (p.status === 'unknown') return unknown(`The backup protection of ${s.name} could not be read.`, ['backup status of the VM']);
  if (p.status === 'unprotected') return notApplicable(`${s.name} is not protected (no protected item for it in the data).`);
  if (p.status === 'stopped') return notApplicable(`Protection of ${s.name} is stopped (${p.protectionState}).`);
  if (p.vault === null) return unknown(`The protected item ${p.itemId} does not name its vault.`, ['the vault of the protected item']);
  return p.vault;
}

const isResult = (v: Vault | RuleResult): v is RuleResult => 'outcome' in v;

export const vaultRegion: RuleDefinition = {
  id: 'vault.region',
  title: 'Vault in the VM region',
  check(s) {
    const vault = vaultOrResult(s);
    if (isResult(vault)) return vault;
    if (!vault.known || vault.location === null)
      return unknown(`Vault ${vault.id} (its location) is not in the data.`, [`Recovery Services vault ${vault.id}`]);
    if (s.location === null) return unknown(`${s.name} has no location.`, ['location']);
    const evidence = { vault: vault.id, vaultLocation: vault.location, vmLocation: s.location };
    if (vault.location !== s.location)
      return fail(`${s.name} (${s.location}) is protected by a vault in ${vault.location}: a VM can be backed up only to a vault in its own region.`, evidence);
    return pass(`Vault and VM are both in ${s.location}.`, evidence);
  },
};

export const vaultSubscription: RuleDefinition = {
  id: 'vault.subscription',
  title: 'Vault in the VM subscription',
  check(s, e) {
    const vault = vaultOrResult(s);
    if (isResult(vault)) return vault;
    if (vault.subscriptionId === null || s.subscriptionId === null)
      return unknown('The subscription of the VM or of its vault is not in its id.', ['subscription id']);
    const evidence = { vault: vault.id, vaultSubscription: vault.subscriptionId, vmSubscription: s.subscriptionId };
    if (vault.subscriptionId.toLowerCase() === s.subscriptionId.toLowerCase()) return pass('Vault and VM are in the same subscription.', evidence);
    if (e.params.crossSubscriptionUnsupportedFor === 'all') {
      return fail(`${s.name} is protected by a vault in subscription ${vault.subscriptionId}: backup to another subscription is not supported.`, evidence);
    }
    if (s.securityType?.toLowerCase() === 'confidentialvm') {
      return fail(
        `Confidential VM ${s.name} is protected by a vault in another subscription (${vault.subscriptionId}): not supported for Confidential VMs.`,
        evidence,
      );
    }
    return pass('The vault is in another subscription: supported in the same tenant and region.', evidence);
  },
};

type AppliedLock = VmSnapshot['locks'][number];

/** A lock reaches the restore point collections when the subscription (every group inherits it) or their own group holds it. */
const reachesRestorePoints = (lock: AppliedLock) => lock.scope === 'subscription' || lock.scope === 'restore-point-group';

function whereLocked(lock: AppliedLock): string {
  if (lock.scope === 'subscription') return `${lock.level} on the subscription`;
  const group = parseArmId(lock.id).resourceGroup ?? '?';
  return lock.scope === 'restore-point-group' ? `${lock.level} on restore point group ${group}` : `${lock.level} on the VM's resource group ${group}`;
}

/** Where this VM's restore point collections are kept: the policy's own group, else Azure Backup's default. */
function restorePointGroupOf(s: VmSnapshot): string {
  const policy = s.protection.policy;
  if (policy?.restorePointGroupPrefix) return `${policy.restorePointGroupPrefix}<n>${policy.restorePointGroupSuffix ?? ''}`;
  return `AzureBackupRG_${s.location ?? '<region>'}_<n>`;
}

export const resourceGroupLock: RuleDefinition = {
  id: 'locks.resource-group',
  title: 'Resource group lock on a managed-disk VM',
  check(s, e) {
    const osDisk = s.disks.find((d) => d.role === 'os');
    if (!osDisk) return unknown(`${s.name} lists no OS disk (storageProfile missing).`, ['storageProfile.osDisk']);
    if (!osDisk.managed) return notApplicable('The VM uses unmanaged disks.');
    if (!s.locksKnown) return unknown(`The management locks of ${s.name}'s subscription could not be read.`, ['management locks']);
    if (s.locks.length === 0)
      return pass('No CanNotDelete or ReadOnly lock in the data on the resource group, its subscription, or a restore point collection group.');
    const blocking = s.locks.filter(reachesRestorePoints);
    const evidence = {
      locks: s.locks.map((l) => ({ id: l.id, level: l.level, scope: l.scope })),
      reachesRestorePoints: blocking.length > 0,
      restorePointGroup: restorePointGroupOf(s),
    };
    const where = s.locks.map(whereLocked).join('; ');
    if (blocking.length > 0 || e.params.vmGroupLock === 'rule') {
      return fail(`${where}: Azure Backup cannot delete old restore points, and backups fail once the restore point limit is reached.`, evidence);
    }
    // The matrix still lists backup after a resource group lock as unsupported, but this lock cannot stop the pruning.
    return fail(
      `${where}: the restore point collections live in ${evidence.restorePointGroup}, which this lock does not reach, so backups go on; the matrix still lists backing up after a resource group lock as not supported.`,
      evidence,
      'warning',
    );
  },
};

export const vaultRules = [vaultRegion, vaultSubscription];
export const lockRules = [resourceGroupLock];
