import { describe, expect, it } from 'vitest';
import { cleanInventory, DATA_DISK_ID, RG, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';
import { instanceViewOf, propsOf, vmOf } from '../helpers/expectRule.js';

const restoreOf = (doc: Json, edition: string) => evaluateDocument(doc, edition)[0]!.restore;

describe('restore readiness', () => {
  it('a clean VM can be restored every way; 2026-03 adds cross-region restore', () => {
    const old = restoreOf(cleanInventory(), '2019-02');
    expect(Object.values(old).map((m) => m.status)).toEqual(['available', 'available', 'available', 'available']);
    expect(restoreOf(cleanInventory(), '2026-03').crossRegionRestore?.status).toBe('limited');
  });
  it('an availability set limits create-VM; ADE rules out replace-disks and file recovery', () => {
    const doc = cleanInventory();
    propsOf(doc).availabilitySet = { id: `${RG}/providers/Microsoft.Compute/availabilitySets/avset` };
    propsOf(doc).storageProfile.osDisk.encryptionSettings = { enabled: true };
    const restore = restoreOf(doc, '2019-02');
    expect(restore.createVm.status).toBe('limited');
    expect(restore.restoreDisks.status).toBe('available');
    expect(restore.replaceDisks).toEqual({ status: 'unavailable', reasons: ['needs non-encrypted disks; this VM uses Azure Disk Encryption'] });
    expect(restore.fileRecovery.status).toBe('unavailable');
  });
  it('unmanaged disks rule out replace-disks; a firewalled account rules out file recovery', () => {
    const doc = cleanInventory();
    propsOf(doc).storageProfile.osDisk = { osType: 'Windows', name: 'os', diskSizeGB: 128, vhd: { uri: 'https://stlegacy.blob.core.windows.net/vhds/os.vhd' } };
    propsOf(doc).storageProfile.dataDisks = [];
    doc.storageAccounts = [
      {
        id: `${RG}/providers/Microsoft.Storage/storageAccounts/stlegacy`,
        name: 'stlegacy',
        type: 'Microsoft.Storage/storageAccounts',
        properties: { networkAcls: { defaultAction: 'Deny' } },
      },
    ];
    const restore = restoreOf(doc, '2019-02');
    expect(restore.replaceDisks.status).toBe('unavailable');
    expect(restore.fileRecovery).toEqual({ status: 'unavailable', reasons: ['not from storage accounts with network restrictions (stlegacy)'] });
  });
  it('a special network configuration limits file recovery to another VM', () => {
    const doc = cleanInventory();
    doc.networkInterfaces[0].properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools = [
      { id: `${RG}/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/p` },
    ];
    const restore = restoreOf(doc, '2019-02');
    expect(restore.fileRecovery.status).toBe('limited');
    expect(restore.createVm.status).toBe('limited');
  });
  it('2026-03: file recovery is unavailable for Ultra disks (naming them) and replace-disks for generalized VMs', () => {
    const doc = cleanInventory();
    doc.disks.find((d: Json) => d.id === DATA_DISK_ID).sku.name = 'UltraSSD_LRS';
    // Ultra Disks are backed up only under an Enhanced policy (on a Standard one, nothing could be restored at all).
    doc.policies[0].properties.policyType = 'V2';
    instanceViewOf(doc).statuses.push({ code: 'OSState/generalized', level: 'Info', displayStatus: 'VM generalized' });
    const restore = restoreOf(doc, '2026-03');
    expect(restore.fileRecovery).toEqual({ status: 'unavailable', reasons: ['not for vm-app-01-data0 (Ultra Disk)'] });
    expect(restore.replaceDisks.status).toBe('unavailable');
    // 2019-02 did not support Ultra Disks at all; with a Premium disk, its replace-disks ignores the generalized state.
    doc.disks.find((d: Json) => d.id === DATA_DISK_ID).sku.name = 'Premium_LRS';
    expect(restoreOf(doc, '2019-02').replaceDisks.status).toBe('available');
  });
  it('2026-03: a shared disk left out by selective disk backup does not rule out file recovery from the other disks', () => {
    const doc = cleanInventory();
    doc.disks.find((d: Json) => d.id === DATA_DISK_ID).properties.maxShares = 2;
    doc.policies[0].properties.policyType = 'V2';
    // Backed up, the shared disk makes the VM one Azure Backup cannot protect: no restore path applies.
    expect(restoreOf(doc, '2026-03').fileRecovery).toEqual({ status: 'notApplicable', reasons: ['cannot be backed up: storage.shared-disk'] });
    const lun = propsOf(doc).storageProfile.dataDisks[0].lun;
    doc.protectedItems[0].properties.extendedProperties = { diskExclusionProperties: { diskLunList: [lun], isInclusionList: false } };
    expect(restoreOf(doc, '2026-03').fileRecovery).toEqual({ status: 'available', reasons: [] });
    // An inclusion list that names the disk keeps it in the backup.
    doc.protectedItems[0].properties.extendedProperties = { diskExclusionProperties: { diskLunList: [lun], isInclusionList: true } };
    expect(restoreOf(doc, '2026-03').fileRecovery.status).toBe('notApplicable');
  });
  it('2026-03: cross-region restore is unavailable for a Confidential VM, with the reason', () => {
    const doc = cleanInventory();
    // A Confidential VM Azure Backup can protect: a v6 size, a listed region, OS disk encryption.
    propsOf(doc).securityProfile = { securityType: 'ConfidentialVM' };
    propsOf(doc).hardwareProfile.vmSize = 'Standard_DC2as_v6';
    vmOf(doc).location = 'uaenorth';
    propsOf(doc).storageProfile.osDisk.managedDisk.securityProfile = { securityEncryptionType: 'DiskWithVMGuestState' };
    const crossRegion = restoreOf(doc, '2026-03').crossRegionRestore!;
    expect(crossRegion.status).toBe('unavailable');
    expect(crossRegion.reasons.join()).toContain('Cross Region Restore is currently unsupported');
    propsOf(doc).securityProfile = { securityType: 'TrustedLaunch' };
    expect(restoreOf(doc, '2026-03').crossRegionRestore).toEqual({ status: 'limited', reasons: [expect.stringMatching(/^to the paired region/)] });
  });
  it('2026-03: Ultra and Premium SSD v2 machines get cross-region restore only in the listed regions', () => {
    const ultra = cleanInventory();
    ultra.disks.find((d: Json) => d.id === DATA_DISK_ID).sku.name = 'UltraSSD_LRS';
    ultra.policies[0].properties.policyType = 'V2';
    // West Europe is on the Ultra Disk list.
    expect(restoreOf(ultra, '2026-03').crossRegionRestore!.reasons).toHaveLength(1);
    vmOf(ultra).location = 'Germany West Central';
    const limited = restoreOf(ultra, '2026-03').crossRegionRestore!;
    expect(limited.status).toBe('limited');
    expect(limited.reasons[1]).toMatch(/^Ultra Disk disk vm-app-01-data0: .* not in germanywestcentral$/);
    const v2 = cleanInventory();
    v2.disks.find((d: Json) => d.id === DATA_DISK_ID).sku.name = 'PremiumV2_LRS';
    v2.policies[0].properties.policyType = 'V2';
    vmOf(v2).location = 'uksouth';
    expect(restoreOf(v2, '2026-03').crossRegionRestore!.reasons).toHaveLength(1);
    vmOf(v2).location = 'koreacentral';
    expect(restoreOf(v2, '2026-03').crossRegionRestore!.reasons[1]).toContain('Premium SSD v2');
    delete vmOf(v2).location;
    expect(restoreOf(v2, '2026-03').crossRegionRestore!.reasons[1]).toContain("the VM's region is not in the data");
  });
  it('2026-03: cross-subscription restore is unavailable with ADE, customer-managed keys or unmanaged disks', () => {
    expect(restoreOf(cleanInventory(), '2026-03').crossSubscriptionRestore?.status).toBe('limited');
    expect(restoreOf(cleanInventory(), '2019-02').crossSubscriptionRestore).toBeUndefined();
    const cmk = cleanInventory();
    propsOf(cmk).storageProfile.dataDisks[0].managedDisk.diskEncryptionSet = { id: `${RG}/providers/Microsoft.Compute/diskEncryptionSets/des-cmk` };
    expect(restoreOf(cmk, '2026-03').crossSubscriptionRestore).toEqual({
      status: 'unavailable',
      reasons: ['not for VMs with disks encrypted with customer-managed keys (vm-app-01-data0)'],
    });
    const cmkOnDisk = cleanInventory();
    cmkOnDisk.disks[0].properties.encryption = {
      type: 'EncryptionAtRestWithCustomerKey',
      diskEncryptionSetId: `${RG}/providers/Microsoft.Compute/diskEncryptionSets/des-cmk`,
    };
    expect(restoreOf(cmkOnDisk, '2026-03').crossSubscriptionRestore?.status).toBe('unavailable');
    const ade = cleanInventory();
    propsOf(ade).storageProfile.osDisk.encryptionSettings = { enabled: true };
    expect(restoreOf(ade, '2026-03').crossSubscriptionRestore?.reasons).toEqual(['not for VMs encrypted with Azure Disk Encryption']);
  });
  it('2026-03: cross-zonal restore, for zone-pinned VMs only, says to reapply a customer-managed key', () => {
    expect(restoreOf(cleanInventory(), '2026-03').crossZonalRestore).toBeUndefined();
    const zonal = cleanInventory();
    vmOf(zonal).zones = ['2'];
    expect(restoreOf(zonal, '2026-03').crossZonalRestore).toEqual({ status: 'limited', reasons: [expect.stringMatching(/^to another availability zone/)] });
    propsOf(zonal).storageProfile.osDisk.managedDisk.diskEncryptionSet = { id: `${RG}/providers/Microsoft.Compute/diskEncryptionSets/des-cmk` };
    expect(restoreOf(zonal, '2026-03').crossZonalRestore!.reasons[1]).toContain('You must manually reapply CMK encryption');
  });
  it('missing NICs make create-VM and file recovery unknown rather than available', () => {
    const doc = cleanInventory();
    doc.networkInterfaces = [];
    const restore = restoreOf(doc, '2019-02');
    expect(restore.createVm.status).toBe('unknown');
    expect(restore.fileRecovery.status).toBe('unknown');
  });
});

describe('restore readiness agrees with the findings', () => {
  it('a VM Azure Backup cannot protect has no restore path: each is notApplicable, naming the rules', () => {
    const doc = cleanInventory();
    vmOf(doc).id = vmOf(doc).id.replace('/virtualMachines/vm-app-01', '/virtualMachineScaleSets/vmss-web/virtualMachines/3');
    for (const edition of ['2019-02', '2026-03']) {
      const restore = restoreOf(doc, edition);
      for (const method of Object.values(restore)) expect(method).toEqual({ status: 'notApplicable', reasons: ['cannot be backed up: compute.scale-set'] });
    }
  });
  it('an unsupported OS does the same; a warning (an older Windows Server in 2026-03) does not', () => {
    const doc = cleanInventory();
    propsOf(doc).storageProfile.imageReference.sku = '2012-R2-Datacenter';
    instanceViewOf(doc).osName = 'Windows Server 2012 R2 Datacenter';
    instanceViewOf(doc).osVersion = 'Microsoft Windows NT 6.3.9600.0';
    expect(restoreOf(doc, '2026-03').restoreDisks.status).toBe('available');
    propsOf(doc).storageProfile.imageReference = { publisher: 'MicrosoftWindowsDesktop', offer: 'Windows-7', sku: 'win7-enterprise', version: 'latest' };
    instanceViewOf(doc).osName = 'Windows 7 Enterprise';
    expect(restoreOf(doc, '2026-03').restoreDisks).toEqual({ status: 'notApplicable', reasons: ['cannot be backed up: os.windows-client'] });
  });
});
