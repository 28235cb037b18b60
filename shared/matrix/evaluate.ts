import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import type { ResolvedEdition } from './editions/index.js';
import { restoreReadiness, type RestoreReadiness } from './restore.js';
import type { RuleOutcome } from './types.js';

/** One VM checked against one matrix edition: every rule's outcome, and which restore paths work. */
export interface Evaluation {
  vmId: string;
  vmName: string;
  edition: string;
  outcomes: RuleOutcome[];
  restore: RestoreReadiness;
}

const NO_EVIDENCE: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * The validator: pure and synchronous (no I/O, no clock, no randomness). Every entry point — CLI, Event Grid,
 * sweep — ends here. A rule that throws is a bug; it is reported as `unknown` naming the rule rather than
 * losing the whole VM's evaluation.
 */
export function evaluate(snapshot: VmSnapshot, edition: ResolvedEdition): Evaluation {
  const context = { id: edition.id, params: edition.params };
  const outcomes: RuleOutcome[] = new Array(edition.rules.length);
  for (let i = 0; i < edition.rules.length; i++) {
    const { rule, severity, citation, retired } = edition.rules[i]!;
    if (retired !== null) {
      outcomes[i] = { ruleId: rule.id, outcome: 'notApplicable', severity, message: `Retired in matrix ${edition.id}: ${retired}.`, evidence: NO_EVIDENCE, citation };
      continue;
    }
    let result;
    try {
      result = rule.check(snapshot, context);
    } catch (error) {
      result = { outcome: 'unknown' as const, message: `Rule ${rule.id} failed on this VM's data: ${(error as Error).message}`, evidence: { missing: ['a rule bug: please report it'] } };
    }
    outcomes[i] = {
      ruleId: rule.id,
      outcome: result.outcome,
      severity: result.outcome === 'unknown' ? 'info' : (result.severity ?? severity),
      message: result.message,
      evidence: result.evidence ?? NO_EVIDENCE,
      citation,
    };
  }
  return { vmId: snapshot.id, vmName: snapshot.name, edition: edition.id, outcomes, restore: restoreReadiness(snapshot, edition.params) };
}

/** Findings are the outcomes people act on: failures, and facts the data could not establish. */
export function findingsOf(evaluation: Evaluation): RuleOutcome[] {
  return evaluation.outcomes.filter((o) => o.outcome === 'fail' || o.outcome === 'unknown');
}
