import type { RuleResult, Severity } from '../types.js';

/** Constructors for rule results, so every rule states its outcome the same way. */
export const pass = (message: string, evidence?: Record<string, unknown>): RuleResult => ({ outcome: 'pass', message, evidence });
export const fail = (message: string, evidence?: Record<string, unknown>, severity?: Severity): RuleResult => ({
  outcome: 'fail',
  message,
  evidence,
  severity,
});
/** `missing` names the facts that were not in the data; it is kept in the evidence for people and tools. */
export const unknown = (message: string, missing: readonly string[]): RuleResult => ({ outcome: 'unknown', message, evidence: { missing: [...missing] } });
export const notApplicable = (message: string): RuleResult => ({ outcome: 'notApplicable', message });

/** "a, b and 3 more" — keeps messages readable on VMs with 32 disks. */
export function listOf(items: readonly string[], max = 4): string {
  if (items.length <= max) return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
