import { describe, expect, it } from 'vitest';
import { getEdition } from '../../core/matrix/editions/index.js';
import { evaluate } from '../../core/matrix/evaluate.js';
import { cleanInventory, ITEM_ID, OTHER_SUB, POLICY_ID, SUB, VAULT_ID, type Json } from '../helpers/cleanVm.js';
import { snapshotOf } from '../helpers/evaluateDocument.js';
import { expectRule, propsOf } from '../helpers/expectRule.js';

function protectedByVaultIn(subscription: string): Json {
  const doc = cleanInventory();
  const swap = (id: string) => id.replace(SUB, subscription);
  doc.protectedItems[0].id = swap(ITEM_ID);
  doc.protectedItems[0].properties.policyId = swap(POLICY_ID);
  doc.policies[0].id = swap(POLICY_ID);
  doc.vaults[0].id = swap(VAULT_ID);
  return doc;
}

const lock = (scope: string, level = 'CanNotDelete') => ({
  id: `${scope}/providers/Microsoft.Authorization/locks/do-not-delete`,
  name: 'do-not-delete',
  type: 'Microsoft.Authorization/locks',
  properties: { level },
});

describe('vault.region', () => {
  it('fails a vault in another region, comparing normalised names', () => {
    const doc = cleanInventory();
    doc.vaults[0].location = 'northeurope';
    expectRule(doc, '2019-02', 'vault.region', 'fail', 'error');
    expectRule(doc, '2026-03', 'vault.region', 'fail', 'error');
    doc.vaults[0].location = 'West Europe';
    expectRule(doc, '2019-02', 'vault.region', 'pass');
  });
  it('is unknown without the vault resource and notApplicable for an unprotected VM', () => {
    const doc = cleanInventory();
    doc.vaults = [];
    expectRule(doc, '2019-02', 'vault.region', 'unknown', 'info');
    doc.protectedItems = [];
    expectRule(doc, '2019-02', 'vault.region', 'notApplicable');
  });
});

describe('vault.subscription', () => {
  it('fails a vault of another subscription in 2019-02; passes it in 2026-03 unless the VM is confidential', () => {
    const doc = protectedByVaultIn(OTHER_SUB);
    expectRule(doc, '2019-02', 'vault.subscription', 'fail', 'error');
    expectRule(doc, '2026-03', 'vault.subscription', 'pass');
    propsOf(doc).securityProfile = { securityType: 'ConfidentialVM' };
    expectRule(doc, '2026-03', 'vault.subscription', 'fail', 'error');
  });
  it('passes the same subscription (even without the vault resource) and is notApplicable when unprotected', () => {
    const doc = cleanInventory();
    doc.vaults = [];
    expectRule(doc, '2019-02', 'vault.subscription', 'pass');
    doc.protectedItems = [];
    expectRule(doc, '2019-02', 'vault.subscription', 'notApplicable');
  });
});

describe('locks.resource-group', () => {
  it("fails a lock on the VM's resource group: error in 2019-02, warning in 2026-03", () => {
    const doc = cleanInventory();
    doc.locks = [lock(`/subscriptions/${SUB}/resourceGroups/RG-APP`)];
    expectRule(doc, '2019-02', 'locks.resource-group', 'fail', 'error');
    expectRule(doc, '2026-03', 'locks.resource-group', 'fail', 'warning');
  });
  it('counts subscription locks and locks on the restore point collection group, ignores other groups and resource locks', () => {
    const sub = cleanInventory();
    sub.locks = [lock(`/subscriptions/${SUB}`, 'ReadOnly')];
    expectRule(sub, '2019-02', 'locks.resource-group', 'fail', 'error');
    const rp = cleanInventory();
    rp.locks = [lock(`/subscriptions/${SUB}/resourceGroups/AzureBackupRG_westeurope_1`)];
    expectRule(rp, '2019-02', 'locks.resource-group', 'fail', 'error');
    const custom = cleanInventory();
    custom.policies[0].properties.instantRPDetails = { azureBackupRGNamePrefix: 'rg-restorepoints-', azureBackupRGNameSuffix: '-we' };
    custom.locks = [lock(`/subscriptions/${SUB}/resourceGroups/rg-restorepoints-3-we`)];
    expectRule(custom, '2019-02', 'locks.resource-group', 'fail', 'error');
    const elsewhere = cleanInventory();
    elsewhere.locks = [
      lock(`/subscriptions/${SUB}/resourceGroups/rg-other`),
      lock(`/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1`),
      lock(`/subscriptions/${OTHER_SUB}`),
    ];
    expectRule(elsewhere, '2019-02', 'locks.resource-group', 'pass');
  });
  it('2026-03: an error when the lock reaches the restore point collections (subscription, default or policy group), a warning on the VM group only', () => {
    const sub = cleanInventory();
    sub.locks = [lock(`/subscriptions/${SUB}`, 'ReadOnly')];
    expectRule(sub, '2026-03', 'locks.resource-group', 'fail', 'error');
    const rp = cleanInventory();
    rp.locks = [lock(`/subscriptions/${SUB}/resourceGroups/AzureBackupRG_westeurope_1`)];
    expectRule(rp, '2026-03', 'locks.resource-group', 'fail', 'error');
    const custom = cleanInventory();
    custom.policies[0].properties.instantRPDetails = { azureBackupRGNamePrefix: 'rg-restorepoints-', azureBackupRGNameSuffix: '-we' };
    custom.locks = [lock(`/subscriptions/${SUB}/resourceGroups/rg-restorepoints-3-we`)];
    expectRule(custom, '2026-03', 'locks.resource-group', 'fail', 'error');
    const vmGroup = cleanInventory();
    vmGroup.locks = [lock(`/subscriptions/${SUB}/resourceGroups/rg-app`)];
    const message = expectRule(vmGroup, '2026-03', 'locks.resource-group', 'fail', 'warning');
    expect(message).toContain('AzureBackupRG_westeurope_<n>');
    // Both at once: the blocking lock decides.
    vmGroup.locks.push(lock(`/subscriptions/${SUB}/resourceGroups/azurebackuprg_westeurope_2`, 'ReadOnly'));
    expectRule(vmGroup, '2026-03', 'locks.resource-group', 'fail', 'error');
  });
  it('a VM that lives in a restore point group: a lock on its group blocks the collections (error in 2026-03)', () => {
    const group = 'AzureBackupRG_westeurope_1';
    const doc: Json = JSON.parse(JSON.stringify(cleanInventory()).replaceAll('/resourceGroups/rg-app/', `/resourceGroups/${group}/`));
    doc.locks = [lock(`/subscriptions/${SUB}/resourceGroups/${group}`)];
    expectRule(doc, '2026-03', 'locks.resource-group', 'fail', 'error');
  });
  it('passes without locks, and is unknown when the locks could not be read', () => {
    expectRule(cleanInventory(), '2026-03', 'locks.resource-group', 'pass');
    const snapshot = snapshotOf(cleanInventory());
    snapshot.locksKnown = false;
    const outcome = evaluate(snapshot, getEdition('2026-03')).outcomes.find((o) => o.ruleId === 'locks.resource-group')!;
    expect(outcome).toMatchObject({ outcome: 'unknown', severity: 'info', evidence: { missing: ['management locks'] } });
  });
  it('is notApplicable for a VM with unmanaged disks and unknown without a storage profile', () => {
    const doc = cleanInventory();
    propsOf(doc).storageProfile.osDisk = { osType: 'Windows', name: 'os', diskSizeGB: 128, vhd: { uri: 'https://st1.blob.core.windows.net/vhds/os.vhd' } };
    doc.locks = [lock(`/subscriptions/${SUB}/resourceGroups/rg-app`)];
    expectRule(doc, '2019-02', 'locks.resource-group', 'notApplicable');
    delete propsOf(doc).storageProfile;
    expectRule(doc, '2019-02', 'locks.resource-group', 'unknown', 'info');
  });
});
