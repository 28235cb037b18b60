import type { CheckReport } from '../checkReport.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The one line a person reads first (and last): how many VMs, what was found, whether the gate failed. */
export function summaryLine(report: CheckReport): string {
  const s = report.summary;
  const parts = [plural(s.failures.error, 'error'), plural(s.failures.warning, 'warning'), `${s.failures.info} info`, `${s.unknown} unknown`];
  const gate =
    report.inputErrors.length > 0
      ? 'Input errors: exit 2'
      : s.failOn === 'never'
        ? 'Not gating (--fail-on never)'
        : s.failed
          ? `FAILED (--fail-on ${s.failOn})`
          : `Passed (--fail-on ${s.failOn})`;
  const blocked = s.vmsWithErrors > 0 ? `; ${plural(s.vmsWithErrors, 'VM')} cannot be backed up or restored as configured` : '';
  const hidden = s.hidden > 0 ? `; ${s.hidden} below --min-severity not shown` : '';
  const exempted = s.exempted > 0 ? `; ${s.exempted} exempted (not counted)` : '';
  const bad = report.inputErrors.length > 0 ? `; ${plural(report.inputErrors.length, 'input error')}` : '';
  return `${plural(s.vms, 'VM')} checked against matrix ${report.matrix}: ${parts.join(', ')}${blocked}${hidden}${exempted}${bad}. ${gate}.`;
}
