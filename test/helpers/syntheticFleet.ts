import type { Evaluation } from '../../core/matrix/evaluate.js';
import { RULES_BY_ID } from '../../core/matrix/rules/index.js';
import type { RuleOutcome, Severity } from '../../core/matrix/types.js';
import type { ApplyResult, FindingsStore } from '../../core/store/index.js';
import type { EvaluationInput } from '../../core/store/planLifecycle.js';
import { cleanInventory } from './cleanVm.js';
import { evaluateDocument } from './evaluateDocument.js';

/**
 * VMs and evaluations made up for store tests: any subscription, resource group, name, and any set of rules failing
 * at any severity, without building ARM documents. Rule ids are real (queries validate them); what the store keeps
 * does not depend on a rule agreeing with the outcome.
 */

export const SUBSCRIPTIONS = ['11111111-2222-3333-4444-555555555555', '22222222-3333-4444-5555-666666666666', '33333333-4444-5555-6666-777777777777'] as const;
export const RESOURCE_GROUPS = ['rg-App', 'rg-data'] as const;
export const RULE_IDS = [...RULES_BY_ID.keys()].slice(0, 5);
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface SyntheticVm {
  subscription: string;
  resourceGroup: string;
  name: string;
}

export const vmIdOf = (vm: SyntheticVm) =>
  `/subscriptions/${vm.subscription}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`;

/** A finding the evaluation reports: `unknown` outcomes are stored at `info`, as the validator reports them. */
export interface Failing {
  ruleId: string;
  outcome: 'fail' | 'unknown';
  severity: Severity;
}

let restore: Evaluation['restore'] | null = null;

export function syntheticEvaluation(vm: SyntheticVm, failing: readonly Failing[], edition = '2026-03'): Evaluation {
  restore ??= evaluateDocument(cleanInventory(), edition)[0]!.restore;
  const failingById = new Map(failing.map((f) => [f.ruleId, f]));
  const outcomes: RuleOutcome[] = RULE_IDS.map((ruleId) => {
    const f = failingById.get(ruleId);
    return {
      ruleId,
      outcome: f?.outcome ?? 'pass',
      severity: f ? (f.outcome === 'unknown' ? 'info' : f.severity) : 'info',
      message: f ? `${ruleId} ${f.outcome}` : 'ok',
      evidence: {},
      citation: { section: 'test', row: ruleId },
    };
  });
  return { vmId: vmIdOf(vm), vmName: vm.name, edition, outcomes, restore };
}

/** Minute `minute` of a fixed test day, or of `day` (YYYY-MM-DD). */
export function at(minute: number, day = '2026-11-26'): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + minute * 60_000).toISOString();
}

export function applySynthetic(
  store: FindingsStore,
  vm: SyntheticVm,
  failing: readonly Failing[],
  when: string,
  extra: Pick<EvaluationInput, 'links' | 'fingerprint'> = {},
): Promise<ApplyResult> {
  return store.applyEvaluation(syntheticEvaluation(vm, failing), { location: 'westeurope', observedAt: when, trigger: { kind: 'cli' }, now: when, ...extra });
}
