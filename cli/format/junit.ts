import { SEVERITY_RANK, type Severity } from '../../core/matrix/types.js';
import type { Evaluation } from '../../core/matrix/evaluate.js';
import { findingIdOf } from '../checkReport.js';

/**
 * JUnit XML for test tabs (Azure DevOps PublishTestResults, GitLab, Jenkins): one test suite per VM, one test case
 * per rule of the edition. `fail` is a failure; `unknown`, `notApplicable`, and a fail below --min-severity are
 * skipped, with the reason; `pass` passes.
 */

// XML 1.0 cannot carry most control characters even escaped; they are dropped.
const xml = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function renderJunit(evaluations: readonly Evaluation[], options: { minSeverity: Severity }): string {
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = evaluations.map((e) => {
    let suiteFailures = 0;
    let suiteSkipped = 0;
    const cases = e.outcomes.map((o) => {
      const open = `    <testcase classname="${xml(e.vmName)}" name="${xml(o.ruleId)}">`;
      const below = o.outcome === 'fail' && SEVERITY_RANK[o.severity] < SEVERITY_RANK[options.minSeverity];
      if (o.outcome === 'fail' && !below) {
        suiteFailures++;
        const body = `${o.message}\nMatrix: ${o.citation.section} › ${o.citation.row}\nFinding: ${findingIdOf(e.vmId, o.ruleId, e.edition)}`;
        return `${open}\n      <failure message="${xml(o.message)}" type="${o.severity}">${xml(body)}</failure>\n    </testcase>`;
      }
      if (o.outcome === 'pass') return `${open}</testcase>`;
      suiteSkipped++;
      const why = below
        ? `${o.severity} finding below --min-severity: ${o.message}`
        : o.outcome === 'unknown'
          ? `cannot be checked: ${o.message}`
          : `not applicable: ${o.message}`;
      return `${open}\n      <skipped message="${xml(why)}"/>\n    </testcase>`;
    });
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    return [
      `  <testsuite name="${xml(e.vmName)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">`,
      `    <properties>\n      <property name="vmId" value="${xml(e.vmId)}"/>\n      <property name="matrix" value="${xml(e.edition)}"/>\n    </properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const head = `<testsuites name="vm-backup-guard" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${[head, ...suites, '</testsuites>'].join('\n')}\n`;
}
