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
    if (!vault.known || vault.location === null) return unknown(`Vault ${vault.id} (its location) is not in the data.`, [`Recovery Services vault ${vault.id}`]);
    if (s.location === null) return unknown(`${s.name} has no location.`, ['location']);
    const evidence = { vault: vault.id, vaultLocation: vault.location, vmLocation: s.location };
    if (vault.location !== s.location) return fail(`${s.name} (${s.location}) is protected by a vault in ${vault.location}: a VM can be backed up only to a vault in its own region.`, evidence);
    return pass(`Vault and VM are both in ${s.location}.`, evidence);
  },
};

export const vaultSubscription: RuleDefinition = {
  id: 'vault.subscription',
  title: 'Vault in the VM subscription',
  check(s, e) {
    const vault = vaultOrResult(s);
    if (isResult(vault)) return vault;
    if (vault.subscriptionId === null || s.subscriptionId === null) return unknown('The subscription of the VM or of its vault is not in its id.', ['subscription id']);
    const evidence = { vault: vault.id, vaultSubscription: vault.subscriptionId, vmSubscription: s.subscriptionId };
    if (vault.subscriptionId.toLowerCase() === s.subscriptionId.toLowerCase()) return pass('Vault and VM are in the same subscription.', evidence);
    if (e.params.crossSubscriptionUnsupportedFor === 'all') {
      return fail(`${s.name} is protected by a vault in subscription ${vault.subscriptionId}: backup to another subscription is not supported.`, evidence);
    }
    if (s.securityType?.toLowerCase() === 'confidentialvm') {
      return fail(`Confidential VM ${s.name} is protected by a vault in another subscription (${vault.subscriptionId}): not supported for Confidential VMs.`, evidence);
    }
    return pass('The vault is in another subscription: supported in the same tenant and region.', evidence);
  },
};

export const resourceGroupLock: RuleDefinition = {
  id: 'locks.resource-group',
  title: 'Resource group lock on a managed-disk VM',
  check(s) {
    const osDisk = s.disks.find((d) => d.role === 'os');
    if (!osDisk) return unknown(`${s.name} lists no OS disk (storageProfile missing).`, ['storageProfile.osDisk']);
    if (!osDisk.managed) return notApplicable('The VM uses unmanaged disks.');
    if (!s.locksKnown) return unknown(`The management locks of ${s.name}'s subscription could not be read.`, ['management locks']);
    if (s.locks.length > 0) {
      const where = s.locks.map((l) => `${l.level} on the ${l.scope.replace(/-/g, ' ')}`);
      return fail(`${where.join('; ')}: Azure Backup cannot delete old restore points, and backups fail once the restore point limit is reached.`, {
        locks: s.locks.map((l) => ({ id: l.id, level: l.level, scope: l.scope })),
      });
    }
    return pass('No CanNotDelete or ReadOnly lock in the data on the resource group, its subscription, or a restore point collection group.');
  },
};

export const vaultRules = [vaultRegion, vaultSubscription];
export const lockRules = [resourceGroupLock];
