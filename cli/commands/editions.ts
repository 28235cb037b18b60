import { parseArgs } from 'node:util';
import { DEFAULT_EDITION_ID, getEdition, listEditions } from '../../core/matrix/editions/index.js';
import { diffEditions } from '../../core/matrix/editions/diffEditions.js';
import { EXIT_OK, UsageError, type CliIo } from '../io.js';
import { editionFromOptions } from '../matrixOption.js';

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
    io.stdout(
      `${e.id}${e.default ? ' (default)' : ''}  ${e.title}\n  ${e.rules} rules, ${e.retired} retired${e.basedOn ? `, a delta on ${e.basedOn}` : ''}; source: ${e.source}\n`,
    );
  }
  return EXIT_OK;
}

export async function diffEditionsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
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
  const lines = [
    `Matrix ${from.id} → ${to.id}${direction}: ${diff.rules.length} rules changed`,
    '',
    `${'rule'.padEnd(width)}  ${from.id.padEnd(9)} ${to.id.padEnd(9)} what changed`,
  ];
  for (const r of diff.rules) lines.push(`${r.ruleId.padEnd(width)}  ${r.from.padEnd(9)} ${r.to.padEnd(9)} ${r.change}`);
  lines.push('', 'Limits and lists:');
  for (const p of diff.parameters)
    lines.push(`  ${p.name}: ${p.from} → ${p.to}${p.change ? `\n    ${backwards ? `${from.id} changed it because` : 'why'}: ${p.change}` : ''}`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
