import { bundledSizeCatalogue } from '../../core/inventory/sizeCatalogue.js';
import { parseInventoryDocument } from '../../core/inventory/parseInventoryDocument.js';
import { snapshotsOf } from '../../core/snapshot/snapshotsOf.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { evaluate, type Evaluation } from '../../core/matrix/evaluate.js';
import type { RuleOutcome } from '../../core/matrix/types.js';
import type { VmSnapshot } from '../../core/snapshot/vmSnapshot.js';

/** The whole offline path — validate, join, snapshot, evaluate — as `check` runs it, for one document. */
export function evaluateDocument(document: unknown, edition: string): Evaluation[] {
  const parsed = parseInventoryDocument(document, 'test.json');
  if (parsed.errors.length > 0) throw new Error(`test document is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return snapshotsOf(parsed.inventory, bundledSizeCatalogue()).map((s) => evaluate(s, getEdition(edition)));
}

export function snapshotOf(document: unknown): VmSnapshot {
  const parsed = parseInventoryDocument(document, 'test.json');
  if (parsed.errors.length > 0) throw new Error(`test document is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const [snapshot] = snapshotsOf(parsed.inventory, bundledSizeCatalogue());
  if (!snapshot) throw new Error('test document has no VM');
  return snapshot;
}

/** The outcome of one rule for the document's first VM. */
export function outcomeOf(document: unknown, edition: string, ruleId: string): RuleOutcome {
  const [evaluation] = evaluateDocument(document, edition);
  const outcome = evaluation?.outcomes.find((o) => o.ruleId === ruleId);
  if (!outcome) throw new Error(`rule ${ruleId} is not in edition ${edition}`);
  return outcome;
}
