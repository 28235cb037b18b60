import type { RuleDefinition } from '../types.js';
import { agentRules, consistencyRules } from './agent.js';
import { agentlessRules } from './agentless.js';
import { computeRules } from './compute.js';
import { networkRules } from './network.js';
import { osRules } from './os.js';
import { placementRules } from './placement.js';
import { policyRules } from './policy.js';
import { restoreConfigRules } from './restoreConfig.js';
import { securityRules2026 } from './security.js';
import { storageRules, storageRules2026 } from './storage.js';
import { lockRules, vaultRules } from './vault.js';

/** Every rule the tool knows, of every edition, in report order. Editions pick from this by id. */
export const ALL_RULES: readonly RuleDefinition[] = [
  ...osRules,
  ...agentRules,
  ...consistencyRules,
  ...computeRules,
  ...storageRules,
  ...storageRules2026,
  ...networkRules,
  ...policyRules,
  ...vaultRules,
  ...lockRules,
  ...securityRules2026,
  ...agentlessRules,
  ...placementRules,
  ...restoreConfigRules,
];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(ALL_RULES.map((r) => [r.id, r]));

/**
 * Rules whose `error` means Azure Backup cannot protect the VM at all (the backup fails or is refused), as opposed to
 * a limit on a restore or a setting of the protection. Such a VM has no recovery points: its restore paths are not
 * applicable. Warnings of the same rules (an edition grading a case as ambiguous) do not count.
 */
export const BLOCKS_BACKUP: ReadonlySet<string> = new Set([
  'os.windows-client',
  'os.windows-server-version',
  'os.linux-unsupported',
  'agent.provisioned',
  'compute.min-size',
  'compute.scale-set',
  'compute.availability-zone',
  'compute.extended-zone',
  'storage.data-disk-count',
  'storage.disk-size',
  'storage.disk-type',
  'storage.write-accelerator',
  'storage.unmanaged-disks',
  'storage.shared-disk',
  'storage.entra-data-access',
  'policy.enhanced-required',
  'security.data-disk-security-type',
  'security.confidential-vm',
  'agentless.enhanced-policy',
  'agentless.premium-storage-size',
  'agentless.azure-boost-size',
  'agentless.unsupported-disks',
  'agentless.confidential-vm',
]);
