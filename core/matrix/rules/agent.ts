import type { RuleDefinition } from '../types.js';
import { agentBasedOnly } from './agentless.js';
import { fail, notApplicable, pass, unknown } from './result.js';

// The agent rows bind agent-based backup: agentless crash-consistent backup does not use the VM agent.
export const agentProvisioned: RuleDefinition = agentBasedOnly({
  id: 'agent.provisioned',
  title: 'Azure VM agent provisioned',
  check(s) {
    const a = s.agent;
    if (a.provisionVmAgent === false) {
      return fail(`${s.name} was created with provisionVMAgent: false: Azure Backup runs as an extension of the VM agent, which must be installed.`, {
        provisionVMAgent: false,
      });
    }
    if (a.provisionVmAgent === true) return pass('provisionVMAgent is true.', { provisionVMAgent: true });
    if (a.osProfilePresent) return pass('The osProfile does not set provisionVMAgent; ARM provisions the agent by default.', { provisionVMAgent: null });
    if (a.version && a.version.toLowerCase() !== 'unknown') return pass(`The instance view reports VM agent ${a.version}.`, { vmAgentVersion: a.version });
    return unknown(`${s.name} has no osProfile (created from an attached disk) and no instance view showing a VM agent.`, [
      'osProfile.*Configuration.provisionVMAgent',
      'instanceView.vmAgent',
    ]);
  },
});

export const agentReady: RuleDefinition = agentBasedOnly({
  id: 'agent.ready',
  title: 'Azure VM agent ready',
  check(s) {
    const a = s.agent;
    if (!a.instanceViewPresent) return unknown(`No instance view of ${s.name} in the data (read the VM with $expand=instanceView).`, ['instanceView.vmAgent']);
    if (s.powerState === null) return unknown(`The instance view of ${s.name} has no power state.`, ['instanceView.statuses PowerState/*']);
    if (s.powerState !== 'running') return notApplicable(`The VM is ${s.powerState}; the agent reports only while it runs.`);
    // Not yet reporting is not broken: a later read decides.
    if (a.pending !== null && a.status?.toLowerCase() !== 'ready')
      return unknown(`The VM agent cannot report yet: ${a.pending}.`, ['a VM agent status after provisioning completes']);
    if (a.status === null && (a.version === null || a.version.toLowerCase() === 'unknown')) {
      return fail(`${s.name} is running but no VM agent reports from it: backups will fail until the agent runs.`, { vmAgent: null });
    }
    if (a.status?.toLowerCase() !== 'ready') {
      return fail(`The VM agent of ${s.name} is "${a.status ?? 'unknown'}", not Ready: backup jobs will fail.`, {
        vmAgentStatus: a.status,
        vmAgentVersion: a.version,
      });
    }
    return pass(`VM agent ${a.version ?? ''} is Ready.`.replace('  ', ' '), { vmAgentStatus: a.status, vmAgentVersion: a.version });
  },
});

export const vmNotRunning: RuleDefinition = {
  id: 'consistency.vm-not-running',
  title: 'VM shut down: crash-consistent backups only',
  check(s) {
    if (s.powerState === null) return unknown(`The power state of ${s.name} is not in the data.`, ['instanceView.statuses PowerState/*']);
    if (s.powerState === 'stopped' || s.powerState === 'deallocated') {
      return fail(`${s.name} is ${s.powerState}: its backups are crash-consistent snapshots only, not application-consistent.`, { powerState: s.powerState });
    }
    return pass(`${s.name} is ${s.powerState}.`, { powerState: s.powerState });
  },
};

// "Back up Linux Azure VMs with the Linux Azure VM agent: file-consistent": an agentless backup is crash-consistent instead.
export const linuxFileConsistent: RuleDefinition = agentBasedOnly({
  id: 'consistency.linux-file-consistent',
  title: 'Linux backups are file-consistent',
  check(s) {
    if (s.os.family === null) return unknown(`The OS family of ${s.name} is not known.`, ['storageProfile.osDisk.osType']);
    if (s.os.family === 'windows') return pass('Windows backups are application-consistent (VSS).');
    return fail(`${s.os.label}: backups are file-consistent; application-consistent backups need pre/post scripts.`, { os: s.os.label });
  },
});

export const agentRules = [agentProvisioned, agentReady];
export const consistencyRules = [vmNotRunning, linuxFileConsistent];
