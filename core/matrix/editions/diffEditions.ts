import { listEditions, type EditionRule, type ResolvedEdition } from './index.js';
import type { EditionParameters } from './parameters.js';

export interface RuleDiff {
  ruleId: string;
  from: string;
  to: string;
  change: string;
}

function stateOf(rule: EditionRule | undefined): string {
  if (!rule || rule.absent !== null) return '—';
  return rule.retired !== null ? 'retired' : rule.severity;
}

/** Rule by rule: what a backup admin sees change when moving from one edition to another. */
export interface ParameterDiff {
  name: string;
  from: string;
  to: string;
  /** Why it changed, when the newer of the two editions says. */
  change?: string;
}

/** Edition notes are written by the newer edition ("new in 2026-03", "retired: …"): read forwards, they say it. */
function forwardChange(a: EditionRule | undefined, b: EditionRule | undefined, note: string | null, toId: string): string {
  if (!a) return note === null || note === `new in ${toId}` ? `new in ${toId}` : note;
  if (!b) return `not in ${toId}`;
  if (b.retired !== null && a.retired === null) return `retired: ${b.retired}`;
  if (a.retired !== null && b.retired === null) return `back in ${toId}${note ? `: ${note}` : ''}`;
  return note ?? 'matrix row reworded';
}

/** Going back to an older edition, the newer one's notes describe what is being undone: say so, not the reverse. */
function undoneChange(a: EditionRule | undefined, b: EditionRule | undefined, note: string | null, fromId: string, toId: string): string {
  if (!a) return `in ${toId}; removed by ${fromId}`;
  if (!b) return `not in ${toId}: added by ${fromId}${note && note !== `new in ${fromId}` ? ` (${note})` : ''}`;
  if (a.retired !== null && b.retired === null) return `active in ${toId}; ${fromId} retired it: ${a.retired}`;
  if (b.retired !== null && a.retired === null) return `retired in ${toId}: ${b.retired}`;
  return note ? `as before ${fromId}, which changed it: ${note}` : 'matrix row worded as before';
}

export function diffEditions(from: ResolvedEdition, to: ResolvedEdition): { rules: RuleDiff[]; parameters: ParameterDiff[] } {
  const order = listEditions().map((e) => e.id);
  const backwards = order.indexOf(from.id) > order.indexOf(to.id);
  const fromRules = new Map(from.rules.map((r) => [r.rule.id, r]));
  const toRules = new Map(to.rules.map((r) => [r.rule.id, r]));
  const ids = [...new Set([...fromRules.keys(), ...toRules.keys()])];
  const rules: RuleDiff[] = [];
  for (const id of ids) {
    const a = fromRules.get(id);
    const b = toRules.get(id);
    const note = b?.change ?? a?.change ?? null;
    const changed = !a || !b || stateOf(a) !== stateOf(b) || a.citation.row !== b.citation.row || note !== null;
    if (!changed) continue;
    rules.push({
      ruleId: id,
      from: stateOf(a),
      to: stateOf(b),
      change: backwards ? undoneChange(a, b, note, from.id, to.id) : forwardChange(a, b, note, to.id),
    });
  }
  // The reason sits on the edition that made the change, whichever way the diff runs.
  const notes = { ...from.parameterChanges, ...to.parameterChanges };
  const parameters = (Object.keys(to.params) as (keyof EditionParameters)[])
    .map((name): ParameterDiff => ({ name, from: show(from.params[name]), to: show(to.params[name]), ...(notes[name] ? { change: notes[name] } : {}) }))
    .filter((p) => p.from !== p.to);
  return { rules, parameters };
}

function show(value: unknown): string {
  if (value instanceof RegExp) return value.source;
  if (value === null) return 'none';
  return typeof value === 'object' ? JSON.stringify(value, (_k, v: unknown) => (v instanceof RegExp ? v.source : v)) : String(value);
}
