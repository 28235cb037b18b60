import type { PolicyFacts, VmSnapshot } from '../../snapshot/vmSnapshot.js';
import type { AgentlessParameters } from '../editions/parameters.js';
import type { EditionContext, RuleDefinition, RuleResult } from '../types.js';
import { isPremiumStorageCapable, parseVmSizeName, processorOf, type VmSizeName } from '../vmSizeName.js';
import { isResult, policyOrResult } from './protection.js';
import { fail, listOf, notApplicable, pass, unknown } from './result.js';
import { unknownSharing } from './storage.js';

/*
 * Agentless crash-consistent backup: an Enhanced policy set to `snapshotConsistencyType: OnlyCrashConsistent` backs
 * the VM up from multi-disk restore points, without the VM agent or its snapshot extension. The matrix's agent-based
 * rows (the agent, the OS lists) then do not bind the VM, and the agentless section's own rows do.
 */

const CRASH_CONSISTENT_ONLY = 'onlycrashconsistent';

const asksForAgentless = (policy: PolicyFacts) => policy.snapshotConsistencyType?.toLowerCase() === CRASH_CONSISTENT_ONLY;

/**
 * The policy that backs the VM up agentless, or null. A Standard policy asking for it does not count: only Enhanced
 * policies have a consistency type, so that VM still needs the agent (and `agentless.enhanced-policy` fails it).
 */
function agentlessPolicy(s: VmSnapshot, e: EditionContext): PolicyFacts | null {
  const policy = s.protection.policy;
  if (e.params.agentless === null || s.protection.status !== 'protected' || policy === null) return null;
  return asksForAgentless(policy) && policy.schedule?.policyType !== 'V1' ? policy : null;
}

/**
 * A rule whose matrix row binds agent-based backup only: `notApplicable` when the VM's policy takes agentless
 * crash-consistent backups, which "are operating system agnostic" and do not use the VM agent; otherwise the rule's
 * own check.
 */
export function agentBasedOnly(rule: RuleDefinition): RuleDefinition {
  return {
    ...rule,
    check(s, e) {
      const policy = agentlessPolicy(s, e);
      if (policy === null) return rule.check(s, e);
      return notApplicable(
        `${s.name} is backed up agentless (policy ${policy.name ?? policy.id}: snapshotConsistencyType OnlyCrashConsistent); this row binds agent-based backup only.`,
      );
    },
  };
}

type AgentlessCondition = (s: VmSnapshot, params: AgentlessParameters, policy: PolicyFacts | null) => RuleResult;

/**
 * A row of the agentless section: judged for VMs whose policy asks for agentless backups, `notApplicable` for
 * agent-based ones. When the policy cannot be read, a VM the row would accept passes and one it would reject is
 * `unknown`, so a missing policy does not add a finding per agentless row.
 */
function agentlessRule(id: string, title: string, condition: AgentlessCondition): RuleDefinition {
  return {
    id,
    title,
    check(s, e) {
      const params = e.params.agentless;
      if (params === null) return notApplicable('This edition has no agentless crash-consistent backup.');
      const policy = policyOrResult(s);
      if (isResult(policy) && policy.outcome === 'notApplicable') return policy;
      if (!isResult(policy)) {
        if (!asksForAgentless(policy)) {
          return notApplicable(`Backup is agent-based: policy ${policy.name ?? policy.id} does not set snapshotConsistencyType OnlyCrashConsistent.`);
        }
        return condition(s, params, policy);
      }
      const verdict = condition(s, params, null);
      if (verdict.outcome === 'pass') return pass(`${verdict.message} (Whether backup is agentless is not known.)`, verdict.evidence);
      const missing = [...((policy.evidence?.missing as string[] | undefined) ?? []), ...((verdict.evidence?.missing as string[] | undefined) ?? [])];
      return unknown(`If ${s.name} is backed up agentless: ${verdict.message} ${policy.message}`, [...new Set(missing)]);
    },
  };
}

// biome-ignore lint/correctness/noUnusedFunctionParameters: the rule's signature is (snapshot, params, policy); this one needs no params.
export const agentlessEnhancedPolicy = agentlessRule('agentless.enhanced-policy', 'Agentless backup needs the Enhanced policy', (s, _params, policy) => {
  if (policy === null) return unknown('whether its policy is Enhanced is not known.', []);
  const name = policy.name ?? policy.id;
  if (policy.schedule === null) return unknown(`The type of policy ${name} is not in the data.`, ['policyType']);
  if (policy.schedule.policyType === 'V1') {
    return fail(
      `Policy ${name} asks for crash-consistent snapshots only, but it is a Standard policy: agentless crash-consistent backup is supported only with the Enhanced policy.`,
      { policy: policy.id },
    );
  }
  return pass(`Enhanced policy ${name}.`, { policy: policy.id });
});

function sizeOrResult(s: VmSnapshot): VmSizeName | RuleResult {
  if (s.size.name === null) return unknown(`The size of ${s.name} is not in the data.`, ['hardwareProfile.vmSize']);
  const size = parseVmSizeName(s.size.name);
  return size ?? unknown(`Size ${s.size.name} does not follow Azure's size naming, so its features are not known.`, ['a VM size named by Azure convention']);
}

export const agentlessPremiumStorageSize = agentlessRule('agentless.premium-storage-size', 'Agentless backup needs a premium-storage-capable size', (s) => {
  const size = sizeOrResult(s);
  if ('outcome' in size) return size;
  const evidence = { vmSize: s.size.name };
  if (isPremiumStorageCapable(size)) return pass(`${s.size.name} is premium storage capable.`, evidence);
  return fail(`${s.size.name} is not premium storage capable (no "s" in its name): agentless crash-consistent backup supports only sizes that are.`, evidence);
});

export const agentlessAzureBoostSize = agentlessRule('agentless.azure-boost-size', 'Agentless backup does not support Azure Boost sizes', (s, params) => {
  const size = sizeOrResult(s);
  if ('outcome' in size) return size;
  const processor = processorOf(size);
  const evidence = { vmSize: s.size.name, processor, version: size.version };
  const { intelFromVersion, amdFromVersion } = params.azureBoost;
  const from = processor === 'intel' ? intelFromVersion : processor === 'amd' ? amdFromVersion : null;
  if (from !== null && size.version >= from) {
    return fail(
      `${s.size.name} is an Azure Boost size (${processor === 'intel' ? 'Intel' : 'AMD'} v${from} and above): agentless crash-consistent backup does not support it.`,
      evidence,
    );
  }
  // The row names Intel v6+ and AMD v7+ only; Arm sizes are not named, so they are not judged.
  return pass(`${s.size.name} is not among the Azure Boost sizes the row names (Intel v${intelFromVersion}+, AMD v${amdFromVersion}+).`, evidence);
});

const NOT_AGENTLESS_DISK_TYPES: Record<string, string> = { ultrassd_lrs: 'Ultra Disk', premiumv2_lrs: 'Premium SSD v2' };

/** Why agentless backup rejects a disk, or null. */
function agentlessDiskProblem(d: VmSnapshot['disks'][number]): string | null {
  const type = NOT_AGENTLESS_DISK_TYPES[d.storageType?.toLowerCase() ?? ''];
  if (type) return type;
  if (d.ephemeral) return 'ephemeral OS disk';
  if (d.maxShares !== null && d.maxShares > 1) return 'shared disk';
  if (d.writeAccelerator) return 'Write Accelerator';
  return null;
}

export const agentlessUnsupportedDisks = agentlessRule('agentless.unsupported-disks', 'Disks agentless backup does not support', (s) => {
  if (!s.disks.some((d) => d.role === 'os')) return unknown(`${s.name} lists no OS disk (storageProfile missing).`, ['storageProfile']);
  const rejected = s.disks.flatMap((d) => {
    const problem = agentlessDiskProblem(d);
    return problem ? [`${d.name} (${problem})`] : [];
  });
  if (rejected.length > 0) {
    return fail(
      `${listOf(rejected)}: agentless crash-consistent backup does not support VMs with Ultra, Premium SSD v2, ephemeral OS, shared or Write Accelerator disks.`,
      { disks: rejected },
    );
  }
  // Sharing (maxShares) is known only from the disk resource.
  const dataDisks = s.disks.filter((d) => d.role === 'data');
  return unknownSharing(dataDisks) ?? pass('No Ultra, Premium SSD v2, ephemeral OS, shared or Write Accelerator disk.');
});

export const agentlessConfidentialVm = agentlessRule('agentless.confidential-vm', 'Agentless backup does not support Confidential VMs', (s) => {
  if (s.securityType?.toLowerCase() === 'confidentialvm') {
    return fail(`${s.name} is a Confidential VM: multi-disk crash-consistent (agentless) backup is not supported for Confidential VMs.`, {
      securityType: s.securityType,
    });
  }
  return pass('Not a Confidential VM.');
});

export const agentlessRules = [
  agentlessEnhancedPolicy,
  agentlessPremiumStorageSize,
  agentlessAzureBoostSize,
  agentlessUnsupportedDisks,
  agentlessConfidentialVm,
];
