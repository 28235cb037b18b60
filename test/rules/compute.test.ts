import { describe, expect, it } from 'vitest';
import { cleanInventory, RG } from '../helpers/cleanVm.js';
import { expectRule, propsOf, vmOf } from '../helpers/expectRule.js';

describe('compute.min-size', () => {
  it('fails 1-vCPU sizes and sizes under 1 GB of memory', () => {
    for (const size of ['Standard_B1s', 'Standard_D1_v2', 'Standard_DS1_v2', 'Standard_F1', 'Standard_A0']) {
      const doc = cleanInventory();
      propsOf(doc).hardwareProfile.vmSize = size;
      expectRule(doc, '2019-02', 'compute.min-size', 'fail', 'error');
    }
  });
  it('honours vmSizeProperties.vCPUsAvailable', () => {
    const doc = cleanInventory();
    propsOf(doc).hardwareProfile = { vmSize: 'Standard_D4s_v3', vmSizeProperties: { vCPUsAvailable: 1 } };
    expectRule(doc, '2026-03', 'compute.min-size', 'fail', 'error');
  });
  it('passes a 2-vCPU size, case-insensitively, and is unknown for a size not in the catalogue', () => {
    const doc = cleanInventory();
    propsOf(doc).hardwareProfile.vmSize = 'standard_d2s_v3';
    expectRule(doc, '2019-02', 'compute.min-size', 'pass');
    propsOf(doc).hardwareProfile.vmSize = 'Standard_Z99_v9';
    const message = expectRule(doc, '2019-02', 'compute.min-size', 'unknown', 'info');
    expect(message).toContain('Standard_Z99_v9');
  });
});

describe('compute.availability-zone', () => {
  it('fails a zonal VM in 2019-02 and is retired in 2026-03', () => {
    const doc = cleanInventory();
    vmOf(doc).zones = ['2'];
    expectRule(doc, '2019-02', 'compute.availability-zone', 'fail', 'error');
    expectRule(doc, '2026-03', 'compute.availability-zone', 'notApplicable');
    expectRule(cleanInventory(), '2019-02', 'compute.availability-zone', 'pass');
  });
});

describe('compute.scale-set', () => {
  const flexibleMember = () => {
    const doc = cleanInventory();
    propsOf(doc).virtualMachineScaleSet = { id: `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-flex` };
    return doc;
  };
  const uniformInstance = () => {
    const doc = cleanInventory();
    const id = `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-uniform/virtualMachines/3`;
    Object.assign(vmOf(doc), { id, type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines', name: 'vmss-uniform_3' });
    doc.protectedItems = [];
    return doc;
  };
  it('fails every scale set member in 2019-02', () => {
    expectRule(flexibleMember(), '2019-02', 'compute.scale-set', 'fail', 'error');
    expectRule(uniformInstance(), '2019-02', 'compute.scale-set', 'fail', 'error');
    const managed = cleanInventory();
    vmOf(managed).managedBy = `${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-flex`;
    expectRule(managed, '2019-02', 'compute.scale-set', 'fail', 'error');
  });
  it('in 2026-03 fails only Uniform instances; Flexible members pass', () => {
    expectRule(flexibleMember(), '2026-03', 'compute.scale-set', 'pass');
    expectRule(uniformInstance(), '2026-03', 'compute.scale-set', 'fail', 'error');
  });
  it('passes a standalone VM', () => {
    expectRule(cleanInventory(), '2026-03', 'compute.scale-set', 'pass');
  });
});

describe('compute.availability-set', () => {
  it('warns for a VM in an availability set and limits create-VM restore', () => {
    const doc = cleanInventory();
    propsOf(doc).availabilitySet = { id: `${RG}/providers/Microsoft.Compute/availabilitySets/avset-app` };
    expectRule(doc, '2019-02', 'compute.availability-set', 'fail', 'warning');
    expectRule(doc, '2026-03', 'compute.availability-set', 'fail', 'warning');
    expectRule(cleanInventory(), '2019-02', 'compute.availability-set', 'pass');
  });
});

describe('compute.image-source', () => {
  it('reports Marketplace plans and custom or gallery images (info)', () => {
    const plan = cleanInventory();
    vmOf(plan).plan = { name: 'tableau-server', publisher: 'tableau', product: 'tableau-server' };
    expectRule(plan, '2019-02', 'compute.image-source', 'fail', 'info');
    const custom = cleanInventory();
    propsOf(custom).storageProfile.imageReference = { id: `${RG}/providers/Microsoft.Compute/images/golden-2024` };
    expectRule(custom, '2019-02', 'compute.image-source', 'fail', 'info');
    const gallery = cleanInventory();
    propsOf(gallery).storageProfile.imageReference = { id: `${RG}/providers/Microsoft.Compute/galleries/g1/images/win/versions/1.0.0` };
    expectRule(gallery, '2026-03', 'compute.image-source', 'fail', 'info');
  });
  it('passes a platform image and is unknown without an imageReference', () => {
    expectRule(cleanInventory(), '2019-02', 'compute.image-source', 'pass');
    const attached = cleanInventory();
    delete propsOf(attached).storageProfile.imageReference;
    expectRule(attached, '2019-02', 'compute.image-source', 'unknown', 'info');
  });
});

describe('a Uniform scale set instance as GET returns it', () => {
  it('takes its size from the top-level sku when hardwareProfile is empty', () => {
    const doc = cleanInventory();
    propsOf(doc).hardwareProfile = {};
    vmOf(doc).sku = { name: 'Standard_B1s', tier: 'Standard' };
    expectRule(doc, '2019-02', 'compute.min-size', 'fail', 'error');
  });
});

describe('vCPUsAvailable without a size name', () => {
  it('decides compute.min-size on its own, naming the field', () => {
    const doc = cleanInventory();
    propsOf(doc).hardwareProfile = { vmSizeProperties: { vCPUsAvailable: 1, vCPUsPerCore: 1 } };
    const message = expectRule(doc, '2026-03', 'compute.min-size', 'fail', 'error');
    expect(message).toMatch(/vCPUsAvailable is 1/);
  });
});
