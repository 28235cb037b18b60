import { describe, expect, it } from 'vitest';
import { cleanInventory, DATA_DISK_ID, RG, VM_ID, type Json } from '../helpers/cleanVm.js';
import { expectRule, propsOf, vmOf } from '../helpers/expectRule.js';

/** Adds `count` managed data disks (model entry + disk resource) of `type` and `sizeGB`. */
function addDataDisks(doc: Json, count: number, type = 'Premium_LRS', sizeGB = 128): void {
  for (let i = 0; i < count; i++) {
    const lun = propsOf(doc).storageProfile.dataDisks.length;
    const id = `${RG}/providers/Microsoft.Compute/disks/extra-${lun}`;
    propsOf(doc).storageProfile.dataDisks.push({
      lun,
      name: `extra-${lun}`,
      createOption: 'Attach',
      diskSizeGB: sizeGB,
      managedDisk: { id, storageAccountType: type },
    });
    doc.disks.push({
      id,
      name: `extra-${lun}`,
      type: 'Microsoft.Compute/disks',
      location: 'westeurope',
      managedBy: VM_ID,
      sku: { name: type },
      properties: { diskSizeGB: sizeGB },
    });
  }
}

const dataDiskResource = (doc: Json) => doc.disks.find((d: Json) => d.id === DATA_DISK_ID);

/** A VM whose OS and data disks are unmanaged VHD blobs in storage account `account`. */
function unmanagedVm(account: string): Json {
  const doc = cleanInventory();
  const p = propsOf(doc);
  p.storageProfile.osDisk = {
    osType: 'Windows',
    name: 'os',
    createOption: 'FromImage',
    diskSizeGB: 128,
    vhd: { uri: `https://${account}.blob.core.windows.net/vhds/os.vhd` },
  };
  p.storageProfile.dataDisks = [
    { lun: 0, name: 'data0', createOption: 'Empty', diskSizeGB: 512, vhd: { uri: `https://${account}.blob.core.windows.net/vhds/data0.vhd` } },
  ];
  doc.disks = [];
  return doc;
}

const storageAccount = (name: string, defaultAction: string) => ({
  id: `${RG}/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  properties: { networkAcls: { defaultAction, bypass: 'AzureServices' } },
});

describe('storage.data-disk-count', () => {
  it('17 data disks fail in 2019-02 and pass in 2026-03; 33 fail in 2026-03', () => {
    const doc = cleanInventory();
    addDataDisks(doc, 16);
    expectRule(doc, '2019-02', 'storage.data-disk-count', 'fail', 'error');
    expectRule(doc, '2026-03', 'storage.data-disk-count', 'pass');
    addDataDisks(doc, 16);
    expectRule(doc, '2026-03', 'storage.data-disk-count', 'fail', 'error');
  });
  it('16 pass; disks being detached do not count; no storageProfile is unknown', () => {
    const doc = cleanInventory();
    addDataDisks(doc, 15);
    expectRule(doc, '2019-02', 'storage.data-disk-count', 'pass');
    addDataDisks(doc, 1);
    propsOf(doc).storageProfile.dataDisks[16].toBeDetached = true;
    expectRule(doc, '2019-02', 'storage.data-disk-count', 'pass');
    delete propsOf(doc).storageProfile;
    expectRule(doc, '2019-02', 'storage.data-disk-count', 'unknown', 'info');
  });
});

describe('storage.disk-size', () => {
  it('a 5000 GB disk fails in 2019-02 and passes in 2026-03, naming the disk', () => {
    const doc = cleanInventory();
    dataDiskResource(doc).properties.diskSizeGB = 5000;
    const message = expectRule(doc, '2019-02', 'storage.disk-size', 'fail', 'error');
    expect(message).toContain('vm-app-01-data0');
    expectRule(doc, '2026-03', 'storage.disk-size', 'pass');
  });
  it('the disk resource size overrides a stale VM model size', () => {
    const doc = cleanInventory();
    propsOf(doc).storageProfile.dataDisks[0].diskSizeGB = 9000;
    expectRule(doc, '2019-02', 'storage.disk-size', 'pass');
  });
  it('2026-03 fails a disk over 64 TB, and disks adding up to over 512 TB', () => {
    const big = cleanInventory();
    dataDiskResource(big).properties.diskSizeGB = 65_537;
    expectRule(big, '2026-03', 'storage.disk-size', 'fail', 'error');
    const many = cleanInventory();
    addDataDisks(many, 9, 'PremiumV2_LRS', 65_536);
    expectRule(many, '2026-03', 'storage.disk-size', 'fail', 'error');
  });
  it('is unknown when a disk size is in neither the VM model nor the disk resource', () => {
    const doc = cleanInventory();
    delete propsOf(doc).storageProfile.dataDisks[0].diskSizeGB;
    delete dataDiskResource(doc).properties.diskSizeGB;
    expectRule(doc, '2019-02', 'storage.disk-size', 'unknown', 'info');
  });
});

describe('storage.disk-type', () => {
  it('UltraSSD_LRS, PremiumV2_LRS and ZRS fail in 2019-02 and pass in 2026-03', () => {
    for (const type of ['UltraSSD_LRS', 'PremiumV2_LRS', 'Premium_ZRS', 'StandardSSD_ZRS']) {
      const doc = cleanInventory();
      dataDiskResource(doc).sku.name = type;
      expectRule(doc, '2019-02', 'storage.disk-type', 'fail', 'error');
      expectRule(doc, '2026-03', 'storage.disk-type', 'pass');
    }
  });
  it('uses the VM model type when the disk resource is not in the data; unknown when neither says', () => {
    const doc = cleanInventory();
    doc.disks = [];
    propsOf(doc).storageProfile.dataDisks[0].managedDisk.storageAccountType = 'UltraSSD_LRS';
    expectRule(doc, '2019-02', 'storage.disk-type', 'fail', 'error');
    delete propsOf(doc).storageProfile.dataDisks[0].managedDisk.storageAccountType;
    expectRule(doc, '2019-02', 'storage.disk-type', 'unknown', 'info');
  });
  it('2026-03 still fails a type outside its list', () => {
    const doc = cleanInventory();
    dataDiskResource(doc).sku.name = 'PremiumV3_LRS';
    expectRule(doc, '2026-03', 'storage.disk-type', 'fail', 'error');
  });
  it('passes Standard, Standard SSD and Premium', () => {
    const doc = cleanInventory();
    addDataDisks(doc, 1, 'Standard_LRS');
    addDataDisks(doc, 1, 'StandardSSD_LRS');
    expectRule(doc, '2019-02', 'storage.disk-type', 'pass');
  });
});

describe('storage.standard-ssd', () => {
  it('warns for a StandardSSD_LRS disk in 2019-02; retired in 2026-03', () => {
    const doc = cleanInventory();
    dataDiskResource(doc).sku.name = 'StandardSSD_LRS';
    expectRule(doc, '2019-02', 'storage.standard-ssd', 'fail', 'warning');
    expectRule(doc, '2026-03', 'storage.standard-ssd', 'notApplicable');
    expectRule(cleanInventory(), '2019-02', 'storage.standard-ssd', 'pass');
  });
  it('is unknown when a disk type is not in the data', () => {
    const doc = cleanInventory();
    doc.disks = [];
    delete propsOf(doc).storageProfile.osDisk.managedDisk.storageAccountType;
    expectRule(doc, '2019-02', 'storage.standard-ssd', 'unknown', 'info');
  });
});

describe('storage.write-accelerator', () => {
  it('fails a Write Accelerator disk in 2019-02; retired in 2026-03', () => {
    const doc = cleanInventory();
    propsOf(doc).storageProfile.dataDisks[0].writeAcceleratorEnabled = true;
    expectRule(doc, '2019-02', 'storage.write-accelerator', 'fail', 'error');
    expectRule(doc, '2026-03', 'storage.write-accelerator', 'notApplicable');
    expectRule(cleanInventory(), '2019-02', 'storage.write-accelerator', 'pass');
  });
});

describe('storage.ade', () => {
  it('warns on encryptionSettingsCollection, osDisk.encryptionSettings, or the ADE extension', () => {
    const collection = cleanInventory();
    dataDiskResource(collection).properties.encryptionSettingsCollection = { enabled: true, encryptionSettings: [] };
    expectRule(collection, '2019-02', 'storage.ade', 'fail', 'warning');
    const model = cleanInventory();
    propsOf(model).storageProfile.osDisk.encryptionSettings = { enabled: true };
    expectRule(model, '2026-03', 'storage.ade', 'fail', 'warning');
    const extension = cleanInventory();
    vmOf(extension).resources = [
      {
        id: `${VM_ID}/extensions/AzureDiskEncryption`,
        type: 'Microsoft.Compute/virtualMachines/extensions',
        properties: { publisher: 'Microsoft.Azure.Security', type: 'AzureDiskEncryption' },
      },
    ];
    expectRule(extension, '2019-02', 'storage.ade', 'fail', 'warning');
  });
  it('passes without any encryption signal', () => {
    expectRule(cleanInventory(), '2019-02', 'storage.ade', 'pass');
  });
});

describe('storage.unmanaged-disks', () => {
  it('is info in 2019-02 and an error in 2026-03', () => {
    const doc = unmanagedVm('stlegacy01');
    doc.storageAccounts = [storageAccount('stlegacy01', 'Allow')];
    expectRule(doc, '2019-02', 'storage.unmanaged-disks', 'fail', 'info');
    expectRule(doc, '2026-03', 'storage.unmanaged-disks', 'fail', 'error');
    expectRule(cleanInventory(), '2026-03', 'storage.unmanaged-disks', 'pass');
  });
});

describe('storage.unmanaged-firewall', () => {
  it('fails when the storage account denies by default; unknown when the account is missing', () => {
    const doc = unmanagedVm('stlegacy01');
    doc.storageAccounts = [storageAccount('stlegacy01', 'Deny')];
    expectRule(doc, '2019-02', 'storage.unmanaged-firewall', 'fail', 'error');
    doc.storageAccounts = [];
    expectRule(doc, '2019-02', 'storage.unmanaged-firewall', 'unknown', 'info');
  });
  it("passes an account that allows all networks (also az's networkRuleSet), notApplicable for managed disks, retired in 2026-03", () => {
    const doc = unmanagedVm('stlegacy01');
    doc.storageAccounts = [
      {
        id: `${RG}/providers/Microsoft.Storage/storageAccounts/stlegacy01`,
        name: 'stlegacy01',
        type: 'Microsoft.Storage/storageAccounts',
        networkRuleSet: { defaultAction: 'Allow' },
      },
    ];
    expectRule(doc, '2019-02', 'storage.unmanaged-firewall', 'pass');
    doc.storageAccounts[0].networkRuleSet.defaultAction = 'Deny';
    expectRule(doc, '2019-02', 'storage.unmanaged-firewall', 'fail', 'error');
    expectRule(doc, '2026-03', 'storage.unmanaged-firewall', 'notApplicable');
    expectRule(cleanInventory(), '2019-02', 'storage.unmanaged-firewall', 'notApplicable');
  });
});

describe('storage.shared-disk (2026-03)', () => {
  it('fails a disk with maxShares 2, passes maxShares 1, unknown without the disk resource', () => {
    const doc = cleanInventory();
    dataDiskResource(doc).properties.maxShares = 2;
    expectRule(doc, '2026-03', 'storage.shared-disk', 'fail', 'error');
    dataDiskResource(doc).properties.maxShares = 1;
    expectRule(doc, '2026-03', 'storage.shared-disk', 'pass');
    doc.disks = [];
    expectRule(doc, '2026-03', 'storage.shared-disk', 'unknown', 'info');
  });
});

describe('storage.shared-disk: shared disks left out by selective disk backup (2026-03)', () => {
  /** A VM with a shared disk at LUN 1 beside its data disk at LUN 0, protected by an Enhanced policy that excludes `exclusion`. */
  function sharedDiskExcluded(exclusion: Json): Json {
    const doc = cleanInventory();
    addDataDisks(doc, 1);
    doc.disks.at(-1).properties.maxShares = 2;
    Object.assign(doc.policies[0].properties, {
      policyType: 'V2',
      schedulePolicy: {
        schedulePolicyType: 'SimpleSchedulePolicyV2',
        scheduleRunFrequency: 'Daily',
        dailySchedule: { scheduleRunTimes: ['2023-01-01T02:00:00Z'] },
      },
    });
    doc.protectedItems[0].properties.extendedProperties = { diskExclusionProperties: exclusion };
    return doc;
  }
  it('passes when every shared LUN is excluded under an Enhanced policy (an exclusion list, or an inclusion list without it)', () => {
    const message = expectRule(sharedDiskExcluded({ diskLunList: [1], isInclusionList: false }), '2026-03', 'storage.shared-disk', 'pass');
    expect(message).toMatch(/extra-1 is excluded .*Enhanced policy/);
    expectRule(sharedDiskExcluded({ diskLunList: [0], isInclusionList: true }), '2026-03', 'storage.shared-disk', 'pass');
    expectRule(sharedDiskExcluded({ diskLunList: [1], isInclusionList: false }), '2026-03', 'policy.enhanced-required', 'pass');
  });
  it('fails when the shared LUN is still backed up, or when the exclusion runs on a Standard policy', () => {
    expectRule(sharedDiskExcluded({ diskLunList: [0], isInclusionList: false }), '2026-03', 'storage.shared-disk', 'fail', 'error');
    expectRule(sharedDiskExcluded({ diskLunList: [1], isInclusionList: true }), '2026-03', 'storage.shared-disk', 'fail', 'error');
    const standard = sharedDiskExcluded({ diskLunList: [1], isInclusionList: false });
    standard.policies = cleanInventory().policies;
    const message = expectRule(standard, '2026-03', 'storage.shared-disk', 'fail', 'error');
    expect(message).toContain('needs the Enhanced policy');
    expectRule(standard, '2026-03', 'policy.enhanced-required', 'fail', 'error');
  });
  it('is unknown when the exclusion list does not say whether it includes or excludes, or the policy is missing', () => {
    expectRule(sharedDiskExcluded({ diskLunList: [1] }), '2026-03', 'storage.shared-disk', 'unknown', 'info');
    const noPolicy = sharedDiskExcluded({ diskLunList: [1], isInclusionList: false });
    noPolicy.policies = [];
    expectRule(noPolicy, '2026-03', 'storage.shared-disk', 'unknown', 'info');
  });
  it('reads LUNs the CLI prints as text, and ignores the exclusion of stopped protection', () => {
    expectRule(sharedDiskExcluded({ diskLunList: ['1'], isInclusionList: false }), '2026-03', 'storage.shared-disk', 'pass');
    const stopped = sharedDiskExcluded({ diskLunList: [1], isInclusionList: false });
    stopped.protectedItems[0].properties.protectionState = 'ProtectionStopped';
    expectRule(stopped, '2026-03', 'storage.shared-disk', 'fail', 'error');
  });
  it('a null or blank LUN leaves the list unreadable: unknown, not an input error', () => {
    expectRule(sharedDiskExcluded({ diskLunList: [null], isInclusionList: false }), '2026-03', 'storage.shared-disk', 'unknown', 'info');
    expectRule(sharedDiskExcluded({ diskLunList: [1, ' '], isInclusionList: false }), '2026-03', 'storage.shared-disk', 'unknown', 'info');
  });
});

describe('storage.entra-data-access (2026-03)', () => {
  it('fails dataAccessAuthMode AzureActiveDirectory, passes None, unknown without the disk resource', () => {
    const doc = cleanInventory();
    dataDiskResource(doc).properties.dataAccessAuthMode = 'AzureActiveDirectory';
    expectRule(doc, '2026-03', 'storage.entra-data-access', 'fail', 'error');
    dataDiskResource(doc).properties.dataAccessAuthMode = 'None';
    expectRule(doc, '2026-03', 'storage.entra-data-access', 'pass');
    doc.disks = [];
    expectRule(doc, '2026-03', 'storage.entra-data-access', 'unknown', 'info');
  });
});

describe('Azure Disk Encryption in the instance view', () => {
  it('per-disk encryptionSettings in instanceView.disks count as ADE', () => {
    const doc = cleanInventory();
    propsOf(doc).instanceView.disks = [{ name: 'vm-app-01-data0', encryptionSettings: [{ enabled: true }], statuses: [] }];
    expectRule(doc, '2019-02', 'storage.ade', 'fail', 'warning');
  });
});
