import type { InputError } from '../shared/inventory/inputError.js';
import { findingsOf, type Evaluation } from '../shared/matrix/evaluate.js';
import type { RestoreReadiness } from '../shared/matrix/restore.js';
import { SEVERITY_RANK, type Citation, type Outcome, type RuleOutcome, type Severity } from '../shared/matrix/types.js';

export type FailOn = Severity | 'never';

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  outcome: Extract<Outcome, 'fail' | 'unknown'>;
  message: string;
  evidence: Record<string, unknown>;
  citation: Citation;
  docs: string;
}

export interface ReportVm {
  id: string;
  name: string;
  findings: ReportFinding[];
  restore: RestoreReadiness;
}

/** The document `check --format json` prints, and what the table and markdown formats render. */
export interface CheckReport {
  matrix: string;
  vms: ReportVm[];
  summary: {
    vms: number;
    vmsWithErrors: number;
    failures: Record<Severity, number>;
    unknown: number;
    /** Findings left out of `vms[].findings` by --min-severity (they still count for --fail-on). */
    hidden: number;
    failOn: FailOn;
    failed: boolean;
  };
  inputErrors: InputError[];
  warnings: string[];
}

export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

const worstRank = (findings: readonly { severity: Severity; outcome: string }[]) =>
  findings.reduce((worst, f) => Math.max(worst, f.outcome === 'fail' ? SEVERITY_RANK[f.severity] * 10 : 1), 0);

function toFinding(o: RuleOutcome): ReportFinding {
  return { ruleId: o.ruleId, severity: o.severity, outcome: o.outcome as ReportFinding['outcome'], message: o.message, evidence: o.evidence, citation: o.citation, docs: docsPath(o.ruleId) };
}

/** Fails first, by severity; unknowns last: what a person should read first comes first. */
function findingOrder(a: ReportFinding, b: ReportFinding): number {
  const rank = (f: ReportFinding) => (f.outcome === 'fail' ? SEVERITY_RANK[f.severity] * 10 : 0);
  return rank(b) - rank(a);
}

export function buildReport(
  edition: string,
  evaluations: readonly Evaluation[],
  options: { failOn: FailOn; minSeverity: Severity; inputErrors: InputError[]; warnings: string[] },
): CheckReport {
  const failures: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let unknown = 0;
  let hidden = 0;
  let vmsWithErrors = 0;
  let failed = false;
  const minRank = SEVERITY_RANK[options.minSeverity];
  const vms: ReportVm[] = evaluations.map((evaluation) => {
    const all = findingsOf(evaluation).map(toFinding);
    for (const f of all) {
      if (f.outcome === 'unknown') unknown++;
      else {
        failures[f.severity]++;
        if (options.failOn !== 'never' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[options.failOn]) failed = true;
      }
    }
    if (all.some((f) => f.outcome === 'fail' && f.severity === 'error')) vmsWithErrors++;
    const shown = all.filter((f) => SEVERITY_RANK[f.severity] >= minRank).sort(findingOrder);
    hidden += all.length - shown.length;
    return { id: evaluation.vmId, name: evaluation.vmName, findings: shown, restore: evaluation.restore };
  });
  vms.sort((a, b) => worstRank(b.findings) - worstRank(a.findings) || b.findings.length - a.findings.length || a.name.localeCompare(b.name));
  return {
    matrix: edition,
    vms,
    summary: { vms: vms.length, vmsWithErrors, failures, unknown, hidden, failOn: options.failOn, failed },
    inputErrors: options.inputErrors,
    warnings: options.warnings,
  };
}
