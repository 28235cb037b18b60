import type { CheckReport } from '../report.js';
import { restoreEntries } from './restoreSummary.js';
import { summaryLine } from './summaryLine.js';

/** Markdown table cells: pipes and newlines would break the table. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** For pasting into a pull request or a ticket. */
export function renderMarkdown(report: CheckReport): string {
  const out: string[] = [`## VM backup support check (matrix ${report.matrix})`, '', `**${summaryLine(report)}**`, ''];
  for (const vm of report.vms) {
    out.push(`### ${cell(vm.name)}`, '', `\`${vm.id}\``, '');
    if (vm.findings.length === 0) out.push('No findings.', '');
    else {
      out.push('| Severity | Rule | Finding | Matrix row |', '|---|---|---|---|');
      for (const f of vm.findings) {
        const severity = f.outcome === 'unknown' ? 'unknown' : f.severity;
        out.push(`| ${severity} | [\`${f.ruleId}\`](${f.docs}) | ${cell(f.message)} | ${cell(`${f.citation.section} › ${f.citation.row}`)} |`);
      }
      out.push('');
    }
    const restore = restoreEntries(vm.restore).map(([name, m]) => `${name}: **${m.status}**${m.reasons.length ? ` (${cell(m.reasons.join('; '))})` : ''}`);
    out.push(`Restore: ${restore.join(' · ')}`, '');
  }
  if (report.inputErrors.length > 0) {
    out.push('### Input errors', '');
    for (const e of report.inputErrors) out.push(`- \`${cell(e.file)}\` ${cell(e.path)}: ${cell(e.message)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
