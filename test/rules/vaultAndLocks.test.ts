import { describe, it } from 'vitest';
import { cleanInventory, ITEM_ID, OTHER_SUB, POLICY_ID, SUB, VAULT_ID, type Json } from '../helpers/cleanVm.js';
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

const lock = (scope: string, level = 'CanNotDelete') => ({ id: `${scope}/providers/Microsoft.Authorization/locks/do-not-delete`, name: 'do-not-delete', type: 'Microsoft.Authorization/locks', properties: { level } });

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
    elsewhere.locks = [lock(`/subscriptions/${SUB}/resourceGroups/rg-other`), lock(`/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1`), lock(`/subscriptions/${OTHER_SUB}`)];
    expectRule(elsewhere, '2019-02', 'locks.resource-group', 'pass');
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
