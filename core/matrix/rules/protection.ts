import type { PolicyFacts, VmSnapshot } from '../../snapshot/vmSnapshot.js';
import type { RuleResult } from '../types.js';
import { notApplicable, unknown } from './result.js';

/**
 * The policy of a protected VM, or the result a policy rule gives when there is none to judge: notApplicable for
 * an unprotected VM or stopped protection, unknown when the policy is not in the data.
 */
export function policyOrResult(s: VmSnapshot): PolicyFacts | RuleResult {
  const p = s.protection;
  if (p.status === 'unknown') return unknown(`The backup protection of ${s.name} could not be read.`, ['backup status of the VM']);
  if (p.status === 'unprotected') return notApplicable(`${s.name} is not protected (no protected item for it in the data).`);
  if (p.status === 'stopped') return notApplicable(`Protection of ${s.name} is stopped (${p.protectionState}).`);
  if (p.policy === null) return unknown(`The protected item of ${s.name} names no backup policy.`, ['protectedItem.properties.policyId']);
  if (!p.policy.known) return unknown(`Backup policy ${p.policy.id} is not in the data.`, [`backup policy ${p.policy.id}`]);
  return p.policy;
}

export function isResult(value: PolicyFacts | RuleResult): value is RuleResult {
  return 'outcome' in value;
}
