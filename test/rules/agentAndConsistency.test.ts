import { describe, it } from 'vitest';
import { cleanInventory } from '../helpers/cleanVm.js';
import { expectRule, instanceViewOf, propsOf, vmOf } from '../helpers/expectRule.js';

const setPowerState = (doc: ReturnType<typeof cleanInventory>, state: string) => {
  instanceViewOf(doc).statuses[1] = { code: `PowerState/${state}`, level: 'Info', displayStatus: `VM ${state}` };
};

describe('agent.provisioned', () => {
  it('fails when provisionVMAgent is false', () => {
    const doc = cleanInventory();
    propsOf(doc).osProfile.windowsConfiguration.provisionVMAgent = false;
    expectRule(doc, '2019-02', 'agent.provisioned', 'fail', 'error');
    expectRule(doc, '2026-03', 'agent.provisioned', 'fail', 'error');
  });
  it('passes when the osProfile leaves it to the ARM default', () => {
    const doc = cleanInventory();
    delete propsOf(doc).osProfile.windowsConfiguration.provisionVMAgent;
    expectRule(doc, '2019-02', 'agent.provisioned', 'pass');
  });
  it('passes a VM from an attached disk whose instance view shows the agent, unknown without one', () => {
    const doc = cleanInventory();
    delete propsOf(doc).osProfile;
    expectRule(doc, '2019-02', 'agent.provisioned', 'pass');
    delete propsOf(doc).instanceView;
    expectRule(doc, '2019-02', 'agent.provisioned', 'unknown', 'info');
  });
});

describe('agent.ready', () => {
  it('warns when the agent of a running VM is Not Ready or missing', () => {
    const doc = cleanInventory();
    instanceViewOf(doc).vmAgent.statuses[0].displayStatus = 'Not Ready';
    expectRule(doc, '2019-02', 'agent.ready', 'fail', 'warning');
    delete instanceViewOf(doc).vmAgent;
    expectRule(doc, '2026-03', 'agent.ready', 'fail', 'warning');
  });
  it('is notApplicable on a deallocated VM and unknown without an instance view', () => {
    const doc = cleanInventory();
    setPowerState(doc, 'deallocated');
    instanceViewOf(doc).vmAgent.statuses[0].displayStatus = 'Not Ready';
    expectRule(doc, '2019-02', 'agent.ready', 'notApplicable');
    delete propsOf(doc).instanceView;
    expectRule(doc, '2019-02', 'agent.ready', 'unknown', 'info');
  });
});

describe('consistency.vm-not-running', () => {
  it('warns for stopped and deallocated VMs', () => {
    for (const state of ['stopped', 'deallocated']) {
      const doc = cleanInventory();
      setPowerState(doc, state);
      expectRule(doc, '2019-02', 'consistency.vm-not-running', 'fail', 'warning');
    }
  });
  it("reads az vm show -d's powerState text", () => {
    const doc = cleanInventory();
    delete propsOf(doc).instanceView;
    vmOf(doc).powerState = 'VM deallocated';
    expectRule(doc, '2026-03', 'consistency.vm-not-running', 'fail', 'warning');
  });
  it('passes a running VM and is unknown without a power state', () => {
    const doc = cleanInventory();
    expectRule(doc, '2019-02', 'consistency.vm-not-running', 'pass');
    delete propsOf(doc).instanceView;
    expectRule(doc, '2019-02', 'consistency.vm-not-running', 'unknown', 'info');
  });
});

describe('consistency.linux-file-consistent', () => {
  it('reports Linux VMs (info), passes Windows, unknown without an OS family', () => {
    const doc = cleanInventory();
    expectRule(doc, '2019-02', 'consistency.linux-file-consistent', 'pass');
    const p = propsOf(doc);
    p.storageProfile.imageReference = { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS', version: 'latest' };
    p.storageProfile.osDisk.osType = 'Linux';
    p.instanceView.osName = 'ubuntu';
    p.instanceView.osVersion = '16.04';
    p.osProfile = { computerName: 'x', adminUsername: 'x', linuxConfiguration: { provisionVMAgent: true } };
    expectRule(doc, '2026-03', 'consistency.linux-file-consistent', 'fail', 'info');
    delete p.storageProfile.imageReference;
    delete p.storageProfile.osDisk.osType;
    delete p.instanceView.osName;
    delete p.osProfile;
    delete doc.disks[0].properties.osType; // the OS disk resource names the family too
    expectRule(doc, '2026-03', 'consistency.linux-file-consistent', 'unknown', 'info');
  });
});
