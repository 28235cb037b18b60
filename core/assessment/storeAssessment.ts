import type { ApplyResult, PreparedWrite, Trigger, VmEvaluations } from '../store/index.js';
import type { Assessment } from './assess.js';

export interface StoreContext {
  /** When the data was read, not when it is written: an evaluation observed later, already stored, wins. */
  observedAt: string;
  trigger: Trigger;
  now: string;
  /** The store reads made while ARM was read (VmEvaluations.prepareWrite). */
  prepared?: PreparedWrite;
}

/** The one path from an assessment to the store (one transaction: summary, findings, alert intent). */
export function storeAssessment(store: Pick<VmEvaluations, 'applyEvaluation'>, assessment: Assessment, context: StoreContext): Promise<ApplyResult> {
  const { evaluation, location, links, fingerprint } = assessment;
  return store.applyEvaluation(evaluation, {
    location,
    observedAt: context.observedAt,
    trigger: context.trigger,
    now: context.now,
    links,
    fingerprint,
    prepared: context.prepared,
  });
}
