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

export interface ReportOptions {
  failOn: FailOn;
  minSeverity: Severity;
}

/**
 * Turns evaluations into report entries one at a time, keeping the summary counts. `check` streams JSON through
 * it (an entry is written and dropped at once); the people formats collect the entries and sort them.
 */
export class ReportAccumulator {
  private readonly failures: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private unknown = 0;
  private hidden = 0;
  private vms = 0;
  private vmsWithErrors = 0;
  private failed = false;

  constructor(private readonly options: ReportOptions) {}

  add(evaluation: Evaluation): ReportVm {
    const { failOn, minSeverity } = this.options;
    const all = findingsOf(evaluation).map(toFinding);
    for (const f of all) {
      if (f.outcome === 'unknown') this.unknown++;
      else {
        this.failures[f.severity]++;
        if (failOn !== 'never' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) this.failed = true;
      }
    }
    if (all.some((f) => f.outcome === 'fail' && f.severity === 'error')) this.vmsWithErrors++;
    const shown = all.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[minSeverity]).sort(findingOrder);
    this.hidden += all.length - shown.length;
    this.vms++;
    return { id: evaluation.vmId, name: evaluation.vmName, findings: shown, restore: evaluation.restore };
  }

  summary(): CheckReport['summary'] {
    const { vms, vmsWithErrors, unknown, hidden, failed } = this;
    return { vms, vmsWithErrors, failures: { ...this.failures }, unknown, hidden, failOn: this.options.failOn, failed };
  }
}

/** Worst VM first, then the one with more findings, then by name: what a person should read first comes first. */
export function sortWorstFirst(vms: ReportVm[]): ReportVm[] {
  return vms.sort((a, b) => worstRank(b.findings) - worstRank(a.findings) || b.findings.length - a.findings.length || a.name.localeCompare(b.name));
}

/** The whole report in memory, VMs worst first: for the table and markdown formats. */
export function buildReport(edition: string, evaluations: Iterable<Evaluation>, options: ReportOptions & { inputErrors: InputError[]; warnings: string[] }): CheckReport {
  const accumulator = new ReportAccumulator(options);
  const vms: ReportVm[] = [];
  for (const evaluation of evaluations) vms.push(accumulator.add(evaluation));
  return { matrix: edition, vms: sortWorstFirst(vms), summary: accumulator.summary(), inputErrors: options.inputErrors, warnings: options.warnings };
}
