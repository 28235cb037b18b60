import { describe, expect, it } from 'vitest';
import { cleanInventory, DATA_DISK_ID, RG, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';
import { instanceViewOf, propsOf } from '../helpers/expectRule.js';

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
    doc.storageAccounts = [{ id: `${RG}/providers/Microsoft.Storage/storageAccounts/stlegacy`, name: 'stlegacy', type: 'Microsoft.Storage/storageAccounts', properties: { networkAcls: { defaultAction: 'Deny' } } }];
    const restore = restoreOf(doc, '2019-02');
    expect(restore.replaceDisks.status).toBe('unavailable');
    expect(restore.fileRecovery).toEqual({ status: 'unavailable', reasons: ['not from storage accounts with network restrictions (stlegacy)'] });
  });
  it('a special network configuration limits file recovery to another VM', () => {
    const doc = cleanInventory();
    doc.networkInterfaces[0].properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools = [{ id: `${RG}/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/p` }];
    const restore = restoreOf(doc, '2019-02');
    expect(restore.fileRecovery.status).toBe('limited');
    expect(restore.createVm.status).toBe('limited');
  });
  it('2026-03: file recovery is unavailable for Ultra disks (naming them) and replace-disks for generalized VMs', () => {
    const doc = cleanInventory();
    doc.disks.find((d: Json) => d.id === DATA_DISK_ID).sku.name = 'UltraSSD_LRS';
    instanceViewOf(doc).statuses.push({ code: 'OSState/generalized', level: 'Info', displayStatus: 'VM generalized' });
    const restore = restoreOf(doc, '2026-03');
    expect(restore.fileRecovery).toEqual({ status: 'unavailable', reasons: ['not for vm-app-01-data0 (Ultra Disk)'] });
    expect(restore.replaceDisks.status).toBe('unavailable');
    expect(restoreOf(doc, '2019-02').replaceDisks.status).toBe('available');
  });
  it('missing NICs make create-VM and file recovery unknown rather than available', () => {
    const doc = cleanInventory();
    doc.networkInterfaces = [];
    const restore = restoreOf(doc, '2019-02');
    expect(restore.createVm.status).toBe('unknown');
    expect(restore.fileRecovery.status).toBe('unknown');
  });
});
