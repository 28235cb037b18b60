import type { Citation, Severity } from '../types.js';
import type { EditionParameters } from './parameters.js';

/** A rule as an edition states it: its severity and the matrix row it comes from. */
export interface RuleInEdition {
  severity: Severity;
  citation: Citation;
}

/** A rule the edition's matrix no longer has: it stays in the catalogue (ids are a contract) and reports `notApplicable`. */
export interface RetiredRule {
  retired: string;
  citation: Citation;
}

/**
 * A rule of the catalogue whose row this edition's matrix does not have yet: it reports `notApplicable` with the reason,
 * so every edition answers for every rule, and a later edition adds the row with a severity and citation.
 */
export interface AbsentRule {
  absent: string;
}

/** `change` says, for people, what this edition changed about the rule (shown by `diff-editions`). */
export type RuleChange = (RuleInEdition | RetiredRule | AbsentRule | Partial<RuleInEdition>) & { change?: string };

/**
 * An edition is data: the matrix's limits and lists, and for each rule its severity and citation. A later edition
 * is a delta on an earlier one (`basedOn`), exactly as the spec writes it: changed parameters, changed or retired
 * rules, new rules. Rule logic lives once, in `rules/`, and reads the parameters.
 */
export interface EditionDefinition {
  id: string;
  title: string;
  /** The matrix text the edition encodes. */
  source: string;
  basedOn: string | null;
  parameters: Partial<EditionParameters>;
  /** Why a parameter changed, for people (shown by `diff-editions` beside the change). */
  parameterChanges?: Partial<Record<keyof EditionParameters, string>>;
  rules: Record<string, RuleChange>;
}

export function isRetired(rule: RuleChange): rule is RetiredRule {
  return 'retired' in rule;
}

export function isAbsent(rule: RuleChange): rule is AbsentRule {
  return 'absent' in rule;
}

/** `Section › Row` as the spec writes citations. */
export function cite(text: string): Citation {
  const at = text.indexOf(' › ');
  return at < 0 ? { section: text, row: '' } : { section: text.slice(0, at), row: text.slice(at + 3) };
}
