import type { RuleDefinition } from '../types.js';
import { agentRules, consistencyRules } from './agent.js';
import { agentlessRules } from './agentless.js';
import { computeRules } from './compute.js';
import { networkRules } from './network.js';
import { osRules } from './os.js';
import { policyRules } from './policy.js';
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
];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(ALL_RULES.map((r) => [r.id, r]));
