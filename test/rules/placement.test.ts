import { describe, expect, it } from 'vitest';
import { cleanInventory, POLICY_ID, VM_ID } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';
import { expectRule, propsOf, vmOf } from '../helpers/expectRule.js';

/** A VM reduced to what a Resource Graph query projecting `id, name, type, location` returns: no model. */
function projectedRow() {
  const doc = cleanInventory();
  const vm = vmOf(doc);
  doc.virtualMachines = [{ id: vm.id, name: vm.name, type: vm.type, location: vm.location }];
  return doc;
}

const UNIFORM_ID = VM_ID.replace('/virtualMachines/vm-app-01', '/virtualMachineScaleSets/vmss-web/virtualMachines/3');

describe('compute.spot-vm', () => {
  it('fails a Spot VM (and the older Low priority) as a warning, and limits create VM', () => {
    for (const priority of ['Spot', 'Low']) {
      const doc = cleanInventory();
      Object.assign(propsOf(doc), { priority, evictionPolicy: 'Deallocate', billingProfile: { maxPrice: -1 } });
      expect(expectRule(doc, '2026-03', 'compute.spot-vm', 'fail', 'warning')).toContain('restores Spot VMs as regular VMs');
      expect(evaluateDocument(doc, '2026-03')[0]!.restore.createVm).toEqual({
        status: 'limited',
        reasons: ['a Spot VM is restored as a regular VM (compute.spot-vm)'],
      });
    }
  });
  it('passes a Regular VM, with or without priority written', () => {
    const doc = cleanInventory();
    expectRule(doc, '2026-03', 'compute.spot-vm', 'pass');
    propsOf(doc).priority = 'Regular';
    expectRule(doc, '2026-03', 'compute.spot-vm', 'pass');
  });
  it('is unknown without the VM model, and for a Uniform instance (priority lives on the scale set model)', () => {
    expect(expectRule(projectedRow(), '2026-03', 'compute.spot-vm', 'unknown', 'info')).toContain('VM model (properties) is not in the data');
    const doc = cleanInventory();
    vmOf(doc).id = UNIFORM_ID;
    expect(expectRule(doc, '2026-03', 'compute.spot-vm', 'unknown', 'info')).toContain('scale set model');
  });
  it('is notApplicable in 2019-02, whose matrix has no such row', () => {
    const doc = cleanInventory();
    propsOf(doc).priority = 'Spot';
    expect(expectRule(doc, '2019-02', 'compute.spot-vm', 'notApplicable')).toBe('Not in matrix 2019-02: the seed has no row on Spot VMs.');
    expect(evaluateDocument(doc, '2019-02')[0]!.restore.createVm.status).toBe('available');
  });
});

describe('compute.dedicated-host', () => {
  const HOST = VM_ID.replace('/virtualMachines/vm-app-01', '/hostGroups/hg1/hosts/host1');
  it('fails a VM on a host or host group as a warning, and limits create VM', () => {
    const doc = cleanInventory();
    propsOf(doc).host = { id: HOST };
    expectRule(doc, '2026-03', 'compute.dedicated-host', 'fail', 'warning');
    const restore = evaluateDocument(doc, '2026-03')[0]!.restore;
    expect(restore.createVm.status).toBe('limited');
    expect(restore.createVm.reasons.join()).toContain('dedicated host');
    const grouped = cleanInventory();
    propsOf(grouped).hostGroup = { id: HOST.replace('/hosts/host1', '') };
    expectRule(grouped, '2026-03', 'compute.dedicated-host', 'fail', 'warning');
  });
  it('passes a VM without host placement, is unknown without the model or for a Uniform instance, notApplicable in 2019-02', () => {
    expectRule(cleanInventory(), '2026-03', 'compute.dedicated-host', 'pass');
    expectRule(projectedRow(), '2026-03', 'compute.dedicated-host', 'unknown', 'info');
    const uniform = cleanInventory();
    vmOf(uniform).id = UNIFORM_ID;
    expectRule(uniform, '2026-03', 'compute.dedicated-host', 'unknown', 'info');
    expectRule(cleanInventory(), '2019-02', 'compute.dedicated-host', 'notApplicable');
  });
});

describe('compute.extended-zone', () => {
  const inZone = () => {
    const doc = cleanInventory();
    vmOf(doc).extendedLocation = { type: 'EdgeZone', name: 'losangeles' };
    return doc;
  };
  it('fails an Extended Zone VM on a Standard policy as an error: it cannot be backed up, so no restore path applies', () => {
    const doc = inZone();
    expect(expectRule(doc, '2026-03', 'compute.extended-zone', 'fail', 'error')).toContain('only through an Enhanced policy');
    const restore = evaluateDocument(doc, '2026-03')[0]!.restore;
    expect(restore.restoreDisks).toEqual({ status: 'notApplicable', reasons: ['cannot be backed up: compute.extended-zone'] });
  });
  it('warns when it is not protected yet, and passes under an Enhanced policy or outside Extended Zones', () => {
    const unprotected = inZone();
    unprotected.protectedItems = [];
    expectRule(unprotected, '2026-03', 'compute.extended-zone', 'fail', 'warning');
    const enhanced = inZone();
    enhanced.policies[0].properties.policyType = 'V2';
    expectRule(enhanced, '2026-03', 'compute.extended-zone', 'pass');
    expectRule(cleanInventory(), '2026-03', 'compute.extended-zone', 'pass');
  });
  it('is unknown when the policy is not in the data, and notApplicable in 2019-02', () => {
    const doc = inZone();
    doc.policies = [];
    expect(expectRule(doc, '2026-03', 'compute.extended-zone', 'unknown', 'info')).toContain(POLICY_ID);
    expectRule(inZone(), '2019-02', 'compute.extended-zone', 'notApplicable');
  });
});

describe('compute.managed-identity', () => {
  it('fails a VM with managed identities as a warning, and limits cross-region restore', () => {
    const doc = cleanInventory();
    vmOf(doc).identity = { type: 'SystemAssigned, UserAssigned', principalId: '00000000-0000-0000-0000-000000000001' };
    expect(expectRule(doc, '2026-03', 'compute.managed-identity', 'fail', 'warning')).toContain('SystemAssigned and UserAssigned');
    expect(evaluateDocument(doc, '2026-03')[0]!.restore.crossRegionRestore!.reasons.join()).toContain('managed identity is not restored cross-region');
  });
  it('passes without an identity or with type None, is unknown without the model, notApplicable in 2019-02', () => {
    const doc = cleanInventory();
    expectRule(doc, '2026-03', 'compute.managed-identity', 'pass');
    vmOf(doc).identity = { type: 'None' };
    expectRule(doc, '2026-03', 'compute.managed-identity', 'pass');
    expectRule(projectedRow(), '2026-03', 'compute.managed-identity', 'unknown', 'info');
    expectRule(doc, '2019-02', 'compute.managed-identity', 'notApplicable');
  });
});
