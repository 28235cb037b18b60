import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import type { ResolvedEdition } from './editions/index.js';
import { notProtectable, restoreReadiness, type RestoreReadiness } from './restore.js';
import { BLOCKS_BACKUP } from './rules/index.js';
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
    const { rule, severity, citation, retired, absent } = edition.rules[i]!;
    if (retired !== null || absent !== null) {
      const message = retired !== null ? `Retired in matrix ${edition.id}: ${retired}.` : `Not in matrix ${edition.id}: ${absent}.`;
      outcomes[i] = { ruleId: rule.id, outcome: 'notApplicable', severity, message, evidence: NO_EVIDENCE, citation };
      continue;
    }
    let result: ReturnType<typeof rule.check>;
    try {
      result = rule.check(snapshot, context);
    } catch (error) {
      result = {
        outcome: 'unknown' as const,
        message: `Rule ${rule.id} failed on this VM's data: ${(error as Error).message}`,
        evidence: { missing: ['a rule bug: please report it'] },
      };
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
  const readiness = restoreReadiness(snapshot, edition.params);
  const blocking = outcomes.filter((o) => o.outcome === 'fail' && o.severity === 'error' && BLOCKS_BACKUP.has(o.ruleId));
  const restore =
    blocking.length > 0
      ? notProtectable(
          readiness,
          blocking.map((o) => o.ruleId),
        )
      : readiness;
  return { vmId: snapshot.id, vmName: snapshot.name, edition: edition.id, outcomes, restore };
}

/** Findings are the outcomes people act on: failures, and facts the data could not establish. */
export function findingsOf(evaluation: Evaluation): RuleOutcome[] {
  return evaluation.outcomes.filter(isFinding);
}

export function isFinding(outcome: RuleOutcome): boolean {
  return outcome.outcome === 'fail' || outcome.outcome === 'unknown';
}
