import type { CheckReport } from '../checkReport.js';
import { restoreEntries } from './restoreSummary.js';
import { summaryLine } from './summaryLine.js';

/** Markdown table cells: pipes and newlines would break the table. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** GitHub refuses a comment body over 65,536 characters; a margin keeps room for what a CI step adds around it. */
export const GITHUB_COMMENT_LIMIT = 65_536;
const COMPACT_BUDGET = GITHUB_COMMENT_LIMIT - 1_536;

/** For pasting into a pull request or a ticket; `compact` for a pull-request comment on a large fleet. */
export function renderMarkdown(report: CheckReport, options: { compact?: boolean } = {}): string {
  if (options.compact) return renderCompactMarkdown(report);
  const out: string[] = [`## VM backup support check (matrix ${report.matrix})`, '', `**${summaryLine(report)}**`, ''];
  for (const vm of report.vms) {
    out.push(`### ${cell(vm.name)}`, '', `\`${vm.id}\``, '');
    if (vm.findings.length === 0) out.push(vm.hidden === 0 ? 'No findings.' : `${vm.hidden} finding${vm.hidden === 1 ? '' : 's'} below --min-severity.`, '');
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

/**
 * VMs grouped by the findings they share (a fleet fails in a few patterns, and "these 40 VMs all fail
 * compute.min-size" is what a reviewer acts on): one row per pattern, its VMs listed, each rule linked once in a
 * legend, VMs with nothing shown counted rather than listed. What would pass the comment limit is cut, and counted.
 */
function renderCompactMarkdown(report: CheckReport): string {
  const head = [`## VM backup support check (matrix ${report.matrix})`, '', `**${summaryLine(report)}**`, ''];
  const withFindings = report.vms.filter((vm) => vm.findings.length > 0);
  const quiet = report.vms.length - withFindings.length;
  const rules = new Map<string, string>();
  const patterns = new Map<string, { findings: string; errors: number; warnings: number; vms: string[] }>();
  for (const vm of withFindings) {
    for (const f of vm.findings) rules.set(f.ruleId, f.docs);
    const findings = vm.findings.map((f) => (f.outcome === 'unknown' ? `${f.ruleId} (unknown)` : f.ruleId)).join(', ');
    const count = (s: string) => vm.findings.filter((f) => f.outcome === 'fail' && f.severity === s).length;
    const entry = patterns.get(findings) ?? { findings, errors: count('error'), warnings: count('warning'), vms: [] };
    entry.vms.push(vm.name);
    patterns.set(findings, entry);
  }
  const legend =
    rules.size === 0
      ? []
      : [
          '',
          `**Rules:** ${[...rules]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([id, url]) => `[\`${id}\`](${url})`)
            .join(' · ')}`,
        ];
  const tail = [...(quiet > 0 ? ['', `${quiet} more VM${quiet === 1 ? '' : 's'} with nothing at or above --min-severity.`] : []), ...legend];
  const header = ['| Findings | Errors | Warnings | VMs |', '|---|---|---|---|'];
  // Room for the cut notice; the rest of the budget is for rows.
  let room = COMPACT_BUDGET - [...head, ...header, ...tail].join('\n').length - 200;
  const rows: string[] = [];
  let listed = 0;
  for (const p of patterns.values()) {
    const start = `| ${cell(p.findings)} | ${p.errors} | ${p.warnings} | ${p.vms.length}: `;
    if (room < start.length + 40) break;
    let names = '';
    let shown = 0;
    for (const name of p.vms) {
      const next = `${shown === 0 ? '' : ', '}${cell(name)}`;
      if (start.length + names.length + next.length + 20 > room) break;
      names += next;
      shown++;
    }
    const row = `${start}${names}${shown < p.vms.length ? ` … +${p.vms.length - shown}` : ''} |`;
    rows.push(row);
    room -= row.length + 1;
    listed += shown;
  }
  const cut = withFindings.length - listed;
  const more = cut > 0 ? ['', `…and ${cut} more VMs with findings not listed (the full list: --format csv or json with --output).`] : [];
  const table = rows.length > 0 ? [...header, ...rows] : ['No findings at or above --min-severity.'];
  return `${[...head, ...table, ...more, ...tail].join('\n')}\n`;
}
