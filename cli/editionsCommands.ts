import { parseArgs } from 'node:util';
import { DEFAULT_EDITION_ID, getEdition, listEditions, type EditionRule, type ResolvedEdition } from '../shared/matrix/editions/index.js';
import type { EditionParameters } from '../shared/matrix/editions/parameters.js';
import { EXIT_OK, UsageError, type CliIo } from './io.js';
import { editionFromOptions } from './matrixOption.js';

export const EDITIONS_USAGE = `Usage: vm-backup-guard editions [--format table|json]

  The matrix editions this version knows: id, title, source, and how many rules each has (and has retired).`;

export const DIFF_EDITIONS_USAGE = `Usage: vm-backup-guard diff-editions [--from <edition>] [--to <edition>] [--format table|json]

  What changed between two editions, rule by rule. --from defaults to the oldest edition, --to to the default one.`;

export async function editionsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(`${EDITIONS_USAGE}\n`);
    return EXIT_OK;
  }
  const editions = listEditions().map((e) => ({
    id: e.id,
    default: e.id === DEFAULT_EDITION_ID,
    title: e.title,
    source: e.source,
    basedOn: e.basedOn,
    rules: e.rules.filter((r) => r.retired === null && r.absent === null).length,
    retired: e.rules.filter((r) => r.retired !== null).length,
  }));
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify({ editions }, null, 2)}\n`);
    return EXIT_OK;
  }
  if (values.format !== undefined && values.format !== 'table') throw new UsageError(`--format must be table or json; got "${values.format}"`);
  for (const e of editions) {
    io.stdout(`${e.id}${e.default ? ' (default)' : ''}  ${e.title}\n  ${e.rules} rules, ${e.retired} retired${e.basedOn ? `, a delta on ${e.basedOn}` : ''}; source: ${e.source}\n`);
  }
  return EXIT_OK;
}

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
    const note = (b?.change ?? a?.change) ?? null;
    const changed = !a || !b || stateOf(a) !== stateOf(b) || a.citation.row !== b.citation.row || note !== null;
    if (!changed) continue;
    rules.push({ ruleId: id, from: stateOf(a), to: stateOf(b), change: backwards ? undoneChange(a, b, note, from.id, to.id) : forwardChange(a, b, note, to.id) });
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

export async function diffEditionsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(`${DIFF_EDITIONS_USAGE}\n`);
    return EXIT_OK;
  }
  const editions = listEditions();
  const from = values.from ? editionFromOptions(values.from, {}) : editions[0]!;
  const to = values.to ? editionFromOptions(values.to, {}) : getEdition(DEFAULT_EDITION_ID);
  if (from.id === to.id) throw new UsageError(`--from and --to are both ${from.id}: nothing to compare`);
  const diff = diffEditions(from, to);
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify({ from: from.id, to: to.id, ...diff }, null, 2)}\n`);
    return EXIT_OK;
  }
  if (values.format !== undefined && values.format !== 'table') throw new UsageError(`--format must be table or json; got "${values.format}"`);
  const width = Math.max(...diff.rules.map((r) => r.ruleId.length), 4);
  const backwards = listEditions().findIndex((e) => e.id === from.id) > listEditions().findIndex((e) => e.id === to.id);
  const direction = backwards ? ` (going back: what ${from.id} changed is undone)` : '';
  const lines = [`Matrix ${from.id} → ${to.id}${direction}: ${diff.rules.length} rules changed`, '', `${'rule'.padEnd(width)}  ${from.id.padEnd(9)} ${to.id.padEnd(9)} what changed`];
  for (const r of diff.rules) lines.push(`${r.ruleId.padEnd(width)}  ${r.from.padEnd(9)} ${r.to.padEnd(9)} ${r.change}`);
  lines.push('', 'Limits and lists:');
  for (const p of diff.parameters) lines.push(`  ${p.name}: ${p.from} → ${p.to}${p.change ? `\n    ${backwards ? `${from.id} changed it because` : 'why'}: ${p.change}` : ''}`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
