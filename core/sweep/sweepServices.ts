import type { EvaluationServices } from '../assessment/evaluationServices.js';
import type { SweepState, VmEvaluations } from '../store/index.js';

/** What the sweep needs: the evaluation path, and the store's view of what it last evaluated (projections, marks). */
export interface SweepServices extends EvaluationServices {
  store: VmEvaluations & SweepState;
}
