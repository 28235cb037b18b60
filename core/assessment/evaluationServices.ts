import type { VmEvaluations } from '../store/index.js';
import type { ReadServices } from './readAndAssess.js';

/** What reading, assessing and storing a VM needs: the event path, the sweep and its queue worker all take this. */
export interface EvaluationServices extends ReadServices {
  store: VmEvaluations;
}
