import type { CheckReport, ReportFinding } from '../report.js';
import type { Palette } from './colour.js';
import { restoreEntries } from './restoreSummary.js';
import { summaryLine } from './summaryLine.js';

function label(f: ReportFinding, c: Palette): string {
  if (f.outcome === 'unknown') return c.dim('UNKNOWN'.padEnd(8));
  const text = f.severity.toUpperCase().padEnd(8);
  return f.severity === 'error' ? c.red(text) : f.severity === 'warning' ? c.yellow(text) : c.cyan(text);
}

/** For people at a terminal: grouped by VM, worst VM first, each finding with its matrix row and doc page. */
export function renderTable(report: CheckReport, c: Palette): string {
  const lines: string[] = [];
  for (const vm of report.vms) {
    const errors = vm.findings.some((f) => f.outcome === 'fail' && f.severity === 'error');
    const mark = errors ? c.red('✖') : vm.findings.some((f) => f.outcome === 'fail') ? c.yellow('!') : c.green('✔');
    const group = /\/resourceGroups\/([^/]+)/i.exec(vm.id)?.[1];
    lines.push(`${mark} ${c.bold(vm.name)}${group ? c.dim(`  (${group})`) : ''}${vm.findings.length === 0 ? ': no findings' : ''}`);
    for (const f of vm.findings) {
      lines.push(`  ${label(f, c)} ${f.ruleId.padEnd(34)} ${f.message}`);
      lines.push(c.dim(`  ${''.padEnd(8)} ${''.padEnd(34)} ${f.citation.section} › ${f.citation.row} · ${f.docs}`));
    }
    const restore = restoreEntries(vm.restore)
      .map(([name, m]) => {
        const symbol = m.status === 'available' ? c.green('✔') : m.status === 'limited' ? c.yellow('~') : m.status === 'unavailable' ? c.red('✖') : c.dim('?');
        return `${name} ${symbol}`;
      })
      .join('  ');
    lines.push(`  ${c.dim('restore:')} ${restore}`);
    for (const [name, m] of restoreEntries(vm.restore)) {
      if (m.status !== 'available') lines.push(c.dim(`    ${name}: ${m.reasons.join('; ')}`));
    }
    lines.push('');
  }
  lines.push(c.bold(summaryLine(report)));
  return `${lines.join('\n')}\n`;
}
