import type { VmSnapshot } from '../../snapshot/vmSnapshot.js';
import type { RuleDefinition, RuleResult } from '../types.js';
import { isResult, policyOrResult } from './protection.js';
import { fail, pass, unknown } from './result.js';

/*
 * Where and how the VM runs, as far as the current matrix limits its backup or restore: Spot priority, a dedicated
 * host, an Azure Extended Zone, managed identities. Each is a field of the VM model itself.
 */

/** A Resource Graph row projected to a few columns has no VM model: the field the rule reads is then not in the data. */
export function noVmModel(s: VmSnapshot, field: string): RuleResult | null {
  return s.modelKnown ? null : unknown(`The VM model (properties) is not in the data, so ${field} is not known.`, [`properties.${field} of the VM`]);
}

/** Uniform instances get priority and host placement from the scale set model, which the instance does not repeat. */
function fromScaleSetModel(s: VmSnapshot, field: string): RuleResult | null {
  if (!s.scaleSet.uniformInstance) return null;
  const scaleSet = s.id.replace(/\/virtualMachines\/[^/]+\/?$/i, '');
  return unknown(`A Uniform scale set instance takes ${field} from its scale set model, which is not in the data.`, [
    `virtualMachineProfile.${field} of scale set ${scaleSet}`,
  ]);
}

export const spotVm: RuleDefinition = {
  id: 'compute.spot-vm',
  title: 'Spot VM',
  check(s) {
    const missing = noVmModel(s, 'priority');
    if (missing) return missing;
    const priority = s.priority?.toLowerCase() ?? null;
    if (priority === 'spot' || priority === 'low') {
      return fail(
        `${s.name} is a Spot VM (priority ${s.priority}): Azure Backup restores Spot VMs as regular VMs; set Spot priority again after a restore if you want it.`,
        { priority: s.priority },
      );
    }
    if (priority === null) return fromScaleSetModel(s, 'priority') ?? pass('Not a Spot VM (no priority set: Regular).');
    return pass(`Priority ${s.priority}: not a Spot VM.`, { priority: s.priority });
  },
};

export const dedicatedHost: RuleDefinition = {
  id: 'compute.dedicated-host',
  title: 'VM on a dedicated host',
  check(s) {
    const missing = noVmModel(s, 'host');
    if (missing) return missing;
    if (s.dedicatedHost) {
      return fail(
        `${s.name} runs on dedicated host ${s.dedicatedHost}: a "create new VM" restore does not place the VM on the host; restore the disks and create the VM on the host from the template.`,
        { host: s.dedicatedHost },
      );
    }
    return fromScaleSetModel(s, 'hostGroup') ?? pass('Not on a dedicated host.');
  },
};

export const extendedZone: RuleDefinition = {
  id: 'compute.extended-zone',
  title: 'VM in an Azure Extended Zone',
  check(s) {
    if (s.extendedZone === null) return noVmModel(s, 'extendedLocation') ?? pass('Not in an Azure Extended Zone.');
    const evidence = { extendedZone: s.extendedZone };
    if (s.protection.status === 'unprotected') {
      return fail(
        `${s.name} is in Extended Zone ${s.extendedZone}: backup is supported only through an Enhanced policy; protect it with one.`,
        evidence,
        'warning',
      );
    }
    if (s.protection.status === 'stopped') return pass(`${s.name} is in Extended Zone ${s.extendedZone}; its protection is stopped.`, evidence);
    const policy = policyOrResult(s);
    if (isResult(policy)) return policy;
    if (policy.schedule === null)
      return unknown(`${s.name} is in an Extended Zone; whether its policy is Enhanced is not in the data.`, [`policyType of backup policy ${policy.id}`]);
    if (policy.schedule.policyType === 'V2') return pass(`In Extended Zone ${s.extendedZone}, protected by Enhanced policy ${policy.name}.`, evidence);
    return fail(
      `${s.name} is in Extended Zone ${s.extendedZone} but protected by Standard policy ${policy.name}: backup of VMs in Extended Zones is supported only through an Enhanced policy.`,
      evidence,
      'error',
    );
  },
};

export const managedIdentity: RuleDefinition = {
  id: 'compute.managed-identity',
  title: 'Managed identities and cross-region restore',
  check(s) {
    const missing = noVmModel(s, 'identity');
    if (missing) return missing;
    if (s.managedIdentities.length === 0) return pass('No managed identity.');
    const kinds = s.managedIdentities.join(' and ');
    return fail(
      `${s.name} has a ${kinds} managed identity: cross-region restore does not support managed identities; after restoring to the paired region, assign the identity and its role assignments again.`,
      { identity: s.managedIdentities },
    );
  },
};

export const placementRules = [spotVm, dedicatedHost, extendedZone, managedIdentity];
