import type { CheckReport } from '../checkReport.js';

const COLUMNS = ['findingId', 'vmName', 'vmId', 'ruleId', 'severity', 'outcome', 'message', 'matrixSection', 'matrixRow', 'docs', 'source'] as const;

/** RFC 4180: a field with a comma, a quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One finding per row, CRLF line ends (RFC 4180), a header row; the findings --min-severity shows. */
export function renderCsv(report: CheckReport): string {
  const rows = [COLUMNS.join(',')];
  for (const vm of report.vms) {
    for (const f of vm.findings) {
      const values = [f.findingId, vm.name, vm.id, f.ruleId, f.severity, f.outcome, f.message, f.citation.section, f.citation.row, f.docs, vm.source ?? ''];
      rows.push(values.map(csvField).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
