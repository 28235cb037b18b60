import type { Evaluation } from '../matrix/evaluate.js';

/**
 * Table Storage's limits, met by a VM before they are met by a request: a key of at most 1 KiB, a string property of
 * at most 64 KiB (32 Ki UTF-16 characters), an entity of at most 1 MiB. A VM beyond them is refused by name
 * (UnstorableVmError) and its evidence is cut to fit, so one VM never stops the others from being stored.
 */
export const MAX_KEY_CHARS = 1024;
/** Per finding: the finding row and the alert intent (which holds every transition's evidence) must both fit. */
export const MAX_EVIDENCE_CHARS = 4_000;

export class UnstorableVmError extends Error {
  constructor(
    readonly vmName: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'UnstorableVmError';
  }
}

/** Evidence that fits: as it is, or, when its JSON is too long, a valid JSON object that says so and keeps its start. */
export function fittedEvidence(evidence: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(evidence);
  if (text.length <= MAX_EVIDENCE_CHARS) return evidence;
  return { truncated: true, originalChars: text.length, preview: text.slice(0, MAX_EVIDENCE_CHARS - 100) };
}

/** The evaluation with every outcome's evidence fitted. */
export function fittedEvaluation(evaluation: Evaluation): Evaluation {
  if (evaluation.outcomes.every((o) => JSON.stringify(o.evidence).length <= MAX_EVIDENCE_CHARS)) return evaluation;
  return { ...evaluation, outcomes: evaluation.outcomes.map((o) => ({ ...o, evidence: fittedEvidence(o.evidence) })) };
}
