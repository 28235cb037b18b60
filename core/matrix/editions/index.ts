import { RULES_BY_ID } from '../rules/index.js';
import type { Citation, RuleDefinition, Severity } from '../types.js';
import { edition2019 } from './2019-02.js';
import { edition2026 } from './2026-03.js';
import { isAbsent, isRetired, type EditionDefinition, type RuleChange } from './definition.js';
import type { EditionParameters } from './parameters.js';

export interface EditionRule {
  rule: RuleDefinition;
  severity: Severity;
  citation: Citation;
  /** Why the rule is retired in this edition; it then reports `notApplicable`. */
  retired: string | null;
  /** Why this edition's matrix has no row for the rule yet; it then reports `notApplicable`. */
  absent: string | null;
  /** What this edition changed about the rule, if it changed it (inherited rules carry null). */
  change: string | null;
}

/** An edition with its delta chain applied: full parameters and every rule it has, in report order. */
export interface ResolvedEdition {
  id: string;
  title: string;
  source: string;
  basedOn: string | null;
  params: EditionParameters;
  /** Why this edition changed a parameter (its own changes only; inherited parameters carry none). */
  parameterChanges: Partial<Record<keyof EditionParameters, string>>;
  rules: EditionRule[];
}

export const EDITION_DEFINITIONS: readonly EditionDefinition[] = [edition2019, edition2026];

/** The newest shipped edition: what a user gets without `--matrix` or `MATRIX_EDITION`. */
export const DEFAULT_EDITION_ID = '2026-03';

export class UnknownEditionError extends Error {
  constructor(id: string) {
    super(`unknown matrix edition "${id}": choose one of ${EDITION_DEFINITIONS.map((e) => e.id).join(', ')}`);
    this.name = 'UnknownEditionError';
  }
}

const resolved = new Map<string, ResolvedEdition>();

export function getEdition(id: string = DEFAULT_EDITION_ID): ResolvedEdition {
  const cached = resolved.get(id);
  if (cached) return cached;
  const definition = EDITION_DEFINITIONS.find((e) => e.id === id);
  if (!definition) throw new UnknownEditionError(id);
  const edition = resolve(definition);
  resolved.set(id, edition);
  return edition;
}

export function listEditions(): ResolvedEdition[] {
  return EDITION_DEFINITIONS.map((e) => getEdition(e.id));
}

function resolve(definition: EditionDefinition): ResolvedEdition {
  const base = definition.basedOn === null ? null : getEdition(definition.basedOn);
  const params = { ...(base?.params ?? {}), ...definition.parameters } as EditionParameters;
  const byId = new Map<string, EditionRule>((base?.rules ?? []).map((r) => [r.rule.id, { ...r, change: null }]));
  for (const [id, change] of Object.entries(definition.rules)) {
    byId.set(id, applyChange(definition.id, id, byId.get(id) ?? null, change));
  }
  // Report order is the catalogue's order, whatever order the edition files list rules in.
  const order = [...RULES_BY_ID.keys()];
  const rules = [...byId.values()].sort((a, b) => order.indexOf(a.rule.id) - order.indexOf(b.rule.id));
  const parameterChanges = definition.parameterChanges ?? {};
  return { id: definition.id, title: definition.title, source: definition.source, basedOn: definition.basedOn, params, parameterChanges, rules };
}

function applyChange(editionId: string, ruleId: string, previous: EditionRule | null, change: RuleChange): EditionRule {
  const rule = RULES_BY_ID.get(ruleId);
  if (!rule) throw new Error(`edition ${editionId} names rule "${ruleId}", which has no implementation`);
  const note = change.change ?? null;
  if (isRetired(change))
    return { rule, severity: previous?.severity ?? 'info', citation: change.citation, retired: change.retired, absent: null, change: note };
  if (isAbsent(change))
    return { rule, severity: 'info', citation: { section: 'Not in this edition', row: change.absent }, retired: null, absent: change.absent, change: note };
  // A rule absent from the base edition brings no severity or citation of its own.
  const inherited = previous?.absent === null ? previous : null;
  const severity = change.severity ?? inherited?.severity;
  const citation = change.citation ?? inherited?.citation;
  if (!severity || !citation) throw new Error(`edition ${editionId} adds rule "${ruleId}" without a severity and citation`);
  return { rule, severity, citation, retired: null, absent: null, change: note };
}
