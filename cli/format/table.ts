import type { CheckReport, ReportFinding } from '../checkReport.js';
import type { Palette } from './colour.js';
import { groupInfoFindings, vmCount } from './groupInfo.js';
import { restoreEntries } from './restoreSummary.js';
import { summaryLine } from './summaryLine.js';
import { packItems, wrapText } from './wrap.js';

/** Below this width the rule id gets its own line: a 34-column id column would leave no room for the message. */
const WIDE = 100;
const RULE_COLUMN = 34;

function label(f: ReportFinding, c: Palette): string {
  if (f.outcome === 'unknown') return c.dim('UNKNOWN'.padEnd(8));
  const text = f.severity.toUpperCase().padEnd(8);
  return f.severity === 'error' ? c.red(text) : f.severity === 'warning' ? c.yellow(text) : c.cyan(text);
}

/** What a VM with nothing shown says: hidden findings are not "no findings". */
function nothingShown(hidden: number): string {
  return hidden === 0 ? ': no findings' : `: ${hidden} finding${hidden === 1 ? '' : 's'} below --min-severity`;
}

/** A finding's lines, wrapped to `width`: the message, then its matrix row and page (dim). */
function findingLines(f: ReportFinding, c: Palette, width: number): string[] {
  const source = `${f.citation.section} › ${f.citation.row} · ${f.docs}`;
  if (width >= WIDE && f.ruleId.length <= RULE_COLUMN) {
    const indent = ' '.repeat(2 + 8 + 1 + RULE_COLUMN + 1);
    // Wrapped as if indented, then the first line's indent becomes the severity and rule columns (same width).
    const [first, ...rest] = wrapText(indent + f.message, width, indent);
    return [
      `  ${label(f, c)} ${f.ruleId.padEnd(RULE_COLUMN)} ${first!.slice(indent.length)}`,
      ...rest,
      ...wrapText(indent + source, width, indent).map((l) => c.dim(l)),
    ];
  }
  const indent = '    ';
  return [`  ${label(f, c)} ${f.ruleId}`, ...wrapText(indent + f.message, width, indent), ...wrapText(indent + source, width, indent).map((l) => c.dim(l))];
}

/** Exempted findings, apart from the rest: a count (the default), or each with the exemption that covers it. */
function exemptedLines(exempted: readonly ReportFinding[], c: Palette, width: number, list: boolean): string[] {
  if (exempted.length === 0) return [];
  if (!list) return [c.dim(`  ${exempted.length} exempted finding${exempted.length === 1 ? '' : 's'} (--show-exempted lists them)`)];
  return exempted.flatMap((f) => {
    const e = f.exemption!;
    const why = `exempted by ${e.id} (${e.category}${e.expiresOn ? `, until ${e.expiresOn}` : ''}): ${e.reason}`;
    return [
      `  ${c.dim('EXEMPT'.padEnd(8))} ${f.ruleId}`,
      ...wrapText(`    ${f.message}`, width, '    '),
      ...wrapText(`    ${why}`, width, '    ').map((l) => c.dim(l)),
    ];
  });
}

/**
 * For people at a terminal: grouped by VM, worst VM first, each finding with its matrix row and doc page, wrapped to
 * the terminal's width (narrow terminals get the rule id on a line of its own).
 */
export function renderTable(report: CheckReport, c: Palette, width = 120, options: { showExempted?: boolean } = {}): string {
  const lines: string[] = [];
  const shared = groupInfoFindings(report);
  for (const vm of report.vms) {
    const errors = vm.findings.some((f) => f.outcome === 'fail' && f.severity === 'error');
    const mark = errors ? c.red('✖') : vm.findings.some((f) => f.outcome === 'fail') ? c.yellow('!') : c.green('✔');
    const group = /\/resourceGroups\/([^/]+)/i.exec(vm.id)?.[1];
    lines.push(`${mark} ${c.bold(vm.name)}${group ? c.dim(`  (${group})`) : ''}${vm.findings.length === 0 ? nothingShown(vm.hidden) : ''}`);
    const own = vm.findings.filter((f) => !shared.isGrouped(f));
    for (const f of own) lines.push(...findingLines(f, c, width));
    if (own.length < vm.findings.length)
      lines.push(c.dim(`  + ${vm.findings.length - own.length} info finding${vm.findings.length - own.length === 1 ? '' : 's'} shared with other VMs (below)`));
    lines.push(...exemptedLines(vm.exempted, c, width, options.showExempted === true));
    const entries = restoreEntries(vm.restore);
    // A VM that cannot be backed up has no restore path at all: one line, not one per path.
    if (entries.length > 0 && entries.every(([, m]) => m.status === 'notApplicable')) {
      lines.push(...wrapText(`  ${c.dim('restore:')} not applicable, ${entries[0]![1].reasons.join('; ')}`, width, '    '), '');
      continue;
    }
    const restore = entries.map(([name, m]) => {
      const symbol = m.status === 'available' ? c.green('✔') : m.status === 'limited' ? c.yellow('~') : m.status === 'unavailable' ? c.red('✖') : c.dim('?');
      return `${name} ${symbol}`;
    });
    lines.push(...packItems(restore, width, `  ${c.dim('restore:')} `, '           '));
    for (const [name, m] of restoreEntries(vm.restore)) {
      if (m.status !== 'available') lines.push(...wrapText(`    ${name}: ${m.reasons.join('; ')}`, width, '      ').map((l) => c.dim(l)));
    }
    lines.push('');
  }
  if (shared.groups.length > 0) {
    lines.push(c.bold('Info findings shared by several VMs'));
    for (const g of shared.groups) {
      lines.push(...findingLines(g.finding, c, width));
      lines.push(...wrapText(`    ${vmCount(g.vmNames)}`, width, '      ').map((l) => c.dim(l)));
    }
    lines.push('');
  }
  lines.push(c.bold(summaryLine(report)));
  return `${lines.join('\n')}\n`;
}
