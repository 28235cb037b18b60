import { describe, expect, it } from 'vitest';
import { cleanInventory, DATA_DISK_ID, VM_ID } from '../helpers/cleanVm.js';
import { evaluateDocument, snapshotOf } from '../helpers/evaluateDocument.js';
import { LIVE_READER_OPTIONS } from '../../core/snapshot/buildVmSnapshot.js';
import { evaluate } from '../../core/matrix/evaluate.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { expectRule, propsOf, vmOf } from '../helpers/expectRule.js';

const IMAGE_VERSION_ID =
  '/Subscriptions/11111111-2222-3333-4444-555555555555/Providers/Microsoft.Compute/Locations/westeurope/Publishers/contoso/ArtifactTypes/VMImage/Offers/appliance/Skus/byol/Versions/1.0.0';

function planVm(imageState?: string) {
  const doc = cleanInventory();
  vmOf(doc).plan = { name: 'byol', publisher: 'contoso', product: 'appliance' };
  propsOf(doc).storageProfile.imageReference = { publisher: 'contoso', offer: 'appliance', sku: 'byol', version: 'latest', exactVersion: '1.0.0' };
  // `az vm image show` output: no `type`; the id names the resource.
  if (imageState !== undefined)
    doc.imageVersions = [
      {
        id: IMAGE_VERSION_ID,
        name: '1.0.0',
        location: 'westeurope',
        imageDeprecationStatus: { imageState, scheduledDeprecationTime: '2026-12-31T00:00:00+00:00' },
      },
    ];
  return doc;
}

describe('compute.deprecated-image', () => {
  it('fails a deprecated plan image as an error, and makes create VM unavailable', () => {
    const doc = planVm('Deprecated');
    expect(expectRule(doc, '2026-03', 'compute.deprecated-image', 'fail', 'error')).toContain('"create new VM" restore fails');
    expect(evaluateDocument(doc, '2026-03')[0]!.restore.createVm.status).toBe('unavailable');
  });
  it('warns when the version is scheduled for deprecation, and passes an active one', () => {
    expect(expectRule(planVm('ScheduledForDeprecation'), '2026-03', 'compute.deprecated-image', 'fail', 'warning')).toContain('2026-12-31');
    expectRule(planVm('Active'), '2026-03', 'compute.deprecated-image', 'pass');
  });
  it('is unknown, naming the image version, when it is not in the data; notApplicable without a plan and in 2019-02', () => {
    const message = expectRule(planVm(), '2026-03', 'compute.deprecated-image', 'unknown', 'info');
    expect(message).toContain('az vm image show');
    expect(evaluateDocument(planVm(), '2026-03')[0]!.outcomes.find((o) => o.ruleId === 'compute.deprecated-image')!.evidence).toEqual({
      missing: ['Marketplace image version contoso/appliance/byol/1.0.0'],
    });
    expectRule(cleanInventory(), '2026-03', 'compute.deprecated-image', 'notApplicable');
    expectRule(planVm('Deprecated'), '2019-02', 'compute.deprecated-image', 'notApplicable');
  });
});

describe('compute.diagnostic-settings', () => {
  const SETTING = { id: `${VM_ID}/providers/Microsoft.Insights/diagnosticSettings/to-law`, name: 'to-law', type: 'Microsoft.Insights/diagnosticSettings' };
  it('fails a VM with a diagnostic setting (matched by id, case-insensitively), and makes create VM unavailable', () => {
    const doc = cleanInventory();
    doc.diagnosticSettings = [{ ...SETTING, id: SETTING.id.toLowerCase() }];
    expect(expectRule(doc, '2026-03', 'compute.diagnostic-settings', 'fail', 'error')).toContain('to-law');
    expect(evaluateDocument(doc, '2026-03')[0]!.restore.createVm).toMatchObject({ status: 'unavailable' });
  });
  it('passes when the document lists diagnostic settings and none is the VM’s', () => {
    expectRule(cleanInventory(), '2026-03', 'compute.diagnostic-settings', 'pass');
  });
  it('is unknown when the data has no diagnostic settings list, and notApplicable in 2019-02', () => {
    const doc = cleanInventory();
    delete doc.diagnosticSettings;
    expect(expectRule(doc, '2026-03', 'compute.diagnostic-settings', 'unknown', 'info')).toContain('az monitor diagnostic-settings list');
    expectRule(doc, '2019-02', 'compute.diagnostic-settings', 'notApplicable');
  });
  it('steps aside, saying why, for the live readers, which read no diagnostic settings (no unknown on every VM of a fleet)', () => {
    const doc = cleanInventory();
    delete doc.diagnosticSettings;
    const live = snapshotOf(doc);
    const outcome = (s: typeof live) => evaluate(s, getEdition('2026-03')).outcomes.find((o) => o.ruleId === 'compute.diagnostic-settings')!;
    expect(outcome({ ...live, diagnosticSettings: { ...live.diagnosticSettings, notRead: LIVE_READER_OPTIONS.diagnosticSettingsNotRead! } })).toMatchObject({
      outcome: 'notApplicable',
      message: expect.stringContaining('do not read diagnostic settings'),
    });
    // Control: the same snapshot from a reader that could have read them is unknown.
    expect(outcome(live).outcome).toBe('unknown');
  });
});

describe('storage.performance-plus', () => {
  it('fails (info) a performance plus disk, and limits every vault-tier restore path', () => {
    const doc = cleanInventory();
    doc.disks[1].properties.diskSizeGB = 1024;
    doc.disks[1].properties.creationData = { createOption: 'Empty', performancePlus: true };
    expect(expectRule(doc, '2026-03', 'storage.performance-plus', 'fail', 'info')).toContain('vm-app-01-data0');
    const restore = evaluateDocument(doc, '2026-03')[0]!.restore;
    for (const path of [restore.restoreDisks, restore.crossRegionRestore!, restore.crossSubscriptionRestore!])
      expect(path.reasons.join()).toContain('without performance plus');
  });
  it('passes without the disk resources when the disks are too small to have it', () => {
    const doc = cleanInventory();
    doc.disks = [];
    expectRule(doc, '2026-03', 'storage.performance-plus', 'pass');
  });
  it('is unknown for a large disk whose resource is not in the data, and notApplicable in 2019-02', () => {
    const doc = cleanInventory();
    doc.disks = doc.disks.filter((d: { id: string }) => d.id !== DATA_DISK_ID);
    propsOf(doc).storageProfile.dataDisks[0].diskSizeGB = 1024;
    expect(expectRule(doc, '2026-03', 'storage.performance-plus', 'unknown', 'info')).toContain('vm-app-01-data0');
    expectRule(doc, '2019-02', 'storage.performance-plus', 'notApplicable');
  });
});
