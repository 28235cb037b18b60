import { describe, expect, it } from 'vitest';
import { backedUpAgentless } from '../helpers/agentless.js';
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

describe('the agent rows under agentless crash-consistent backup (2026-03)', () => {
  /** A Linux VM created without the VM agent, running: every agent-based row fails it. */
  const withoutAgent = () => {
    const doc = cleanInventory();
    const p = propsOf(doc);
    p.storageProfile.imageReference = { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' };
    p.storageProfile.osDisk.osType = 'Linux';
    p.osProfile = { computerName: 'x', adminUsername: 'x', linuxConfiguration: { provisionVMAgent: false } };
    delete p.instanceView.vmAgent;
    delete p.instanceView.osName;
    return doc;
  };
  const agentRows = ['agent.provisioned', 'agent.ready', 'consistency.linux-file-consistent'];

  it('fail a VM without the agent on an application-consistent policy', () => {
    const doc = withoutAgent();
    expectRule(doc, '2026-03', 'agent.provisioned', 'fail', 'error');
    expectRule(doc, '2026-03', 'agent.ready', 'fail', 'warning');
    expectRule(doc, '2026-03', 'consistency.linux-file-consistent', 'fail', 'info');
  });
  it('are notApplicable, with the reason, when the policy is OnlyCrashConsistent', () => {
    const doc = backedUpAgentless(withoutAgent());
    for (const id of agentRows)
      expect(expectRule(doc, '2026-03', id, 'notApplicable')).toMatch(/agentless .*OnlyCrashConsistent.*binds agent-based backup only/);
  });
  it('still apply in 2019-02, when protection is stopped, and for a policy value other than OnlyCrashConsistent', () => {
    const doc = backedUpAgentless(withoutAgent());
    expectRule(doc, '2019-02', 'agent.provisioned', 'fail', 'error');
    const stopped = backedUpAgentless(withoutAgent());
    stopped.protectedItems[0].properties.protectionState = 'ProtectionStopped';
    expectRule(stopped, '2026-03', 'agent.provisioned', 'fail', 'error');
    const appConsistent = backedUpAgentless(withoutAgent());
    appConsistent.policies[0].properties.snapshotConsistencyType = 'Default';
    expectRule(appConsistent, '2026-03', 'agent.ready', 'fail', 'warning');
  });
  it('reads the az CLI shape of the policy (fields at the top level)', () => {
    const doc = backedUpAgentless(withoutAgent());
    const policy = doc.policies[0];
    Object.assign(policy, policy.properties);
    delete policy.properties;
    expectRule(doc, '2026-03', 'agent.provisioned', 'notApplicable');
  });
  it('stay unknown when the facts they need are missing and the backup is not agentless', () => {
    const doc = withoutAgent();
    delete propsOf(doc).instanceView;
    delete propsOf(doc).osProfile;
    expectRule(doc, '2026-03', 'agent.provisioned', 'unknown', 'info');
    expectRule(doc, '2026-03', 'agent.ready', 'unknown', 'info');
  });
});
