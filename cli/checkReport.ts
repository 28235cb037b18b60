import * as crypto from 'node:crypto';
import { docsUrlOf } from '../core/matrix/ruleDocsUrl.js';
import type { InputError } from '../core/inventory/inputError.js';
import { isFinding, type Evaluation } from '../core/matrix/evaluate.js';
import type { RestoreReadiness } from '../core/matrix/restore.js';
import { TOOL } from './toolInfo.js';
import { SEVERITY_RANK, type Citation, type ExemptionRef, type Outcome, type RuleOutcome, type Severity } from '../core/matrix/types.js';

export type FailOn = Severity | 'never';

export interface ReportFinding {
  /** Stable across runs and machines: the same VM, rule and edition give the same id (see findingIdOf). */
  findingId: string;
  ruleId: string;
  severity: Severity;
  outcome: Extract<Outcome, 'fail' | 'unknown'>;
  message: string;
  evidence: Record<string, unknown>;
  citation: Citation;
  docs: string;
  /** Only on entries of `ReportVm.exempted`: the exemption that covers the finding. */
  exemption?: ExemptionRef;
}

export interface ReportVm {
  id: string;
  name: string;
  findings: ReportFinding[];
  /** Findings of this VM left out by --min-severity (a VM with none shown is not a VM with none). */
  hidden: number;
  /** Findings an exemption covers: apart from `findings`, never failing --fail-on (all of them, whatever --min-severity). */
  exempted: ReportFinding[];
  /** The input file the VM was read from (check); absent for a live scan. */
  source?: string;
  restore: RestoreReadiness;
}

/** Bumped on any change a consumer could trip on; docs/schemas/check-report.schema.json describes this version. */
export const REPORT_SCHEMA_VERSION = '1.0';

/** The document `check --format json` prints, and what the table and markdown formats render. */
export interface CheckReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  matrix: string;
  vms: ReportVm[];
  summary: {
    vms: number;
    vmsWithErrors: number;
    failures: Record<Severity, number>;
    unknown: number;
    /** Findings left out of `vms[].findings` by --min-severity (they still count for --fail-on). */
    hidden: number;
    /** Findings an exemption covers (in `vms[].exempted`): counted in none of the above, never failing --fail-on. */
    exempted: number;
    failOn: FailOn;
    failed: boolean;
  };
  inputErrors: InputError[];
  warnings: string[];
}

/**
 * sha256 of the lower-cased VM id (ARM ids are case-insensitive), the rule id and the edition: what CI systems and
 * exemptions key on to say "the same finding as last run".
 */
export function findingIdOf(vmId: string, ruleId: string, edition: string): string {
  return findingIdOfKey(vmId.toLowerCase(), ruleId, edition);
}

/** findingIdOf with the VM id already lower-cased: once per VM rather than once per finding. */
function findingIdOfKey(vmKey: string, ruleId: string, edition: string): string {
  return sha256Hex(`${vmKey}\n${ruleId}\n${edition}`).slice(0, 32);
}

/**
 * The one-shot `crypto.hash` (Node >= 20.12) is about 3 times cheaper than a Hash object per finding, which a
 * 10,000-VM report makes 70,000 of; older Node falls back to createHash. Same digest either way.
 */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(algorithm: string, data: string, encoding: 'hex'): string }).hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

const worstRank = (findings: readonly { severity: Severity; outcome: string }[]) =>
  findings.reduce((worst, f) => Math.max(worst, f.outcome === 'fail' ? SEVERITY_RANK[f.severity] * 10 : 1), 0);

function toFinding(o: RuleOutcome, vmKey: string, edition: string, docs: string): ReportFinding {
  const finding: ReportFinding = {
    findingId: findingIdOfKey(vmKey, o.ruleId, edition),
    ruleId: o.ruleId,
    severity: o.severity,
    outcome: o.outcome as ReportFinding['outcome'],
    message: o.message,
    evidence: o.evidence,
    citation: o.citation,
    docs,
  };
  // Set after the literal rather than spread into it: still the last key, without an object per finding.
  if (o.exemption) finding.exemption = o.exemption;
  return finding;
}

/** Fails first, by severity; unknowns last: what a person should read first comes first. */
function findingOrder(a: ReportFinding, b: ReportFinding): number {
  const rank = (f: ReportFinding) => (f.outcome === 'fail' ? SEVERITY_RANK[f.severity] * 10 : 0);
  return rank(b) - rank(a);
}

export interface ReportOptions {
  failOn: FailOn;
  minSeverity: Severity;
  /** The input file a VM came from, by VM id (check only). */
  sourceOf?: (vmId: string) => string | undefined;
  /** --docs-base-url: rule links become `<base><ruleId>.md` (default: the repository-relative docs/rules/). */
  docsBaseUrl?: string;
}

/**
 * Turns evaluations into report entries one at a time, keeping the summary counts. `check` streams JSON through
 * it (an entry is written and dropped at once); the people formats collect the entries and sort them.
 */
export class ReportAccumulator {
  private readonly failures: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private unknown = 0;
  private hidden = 0;
  private exempted = 0;
  private vms = 0;
  private vmsWithErrors = 0;
  private failed = false;

  /** Rule id → its docs link: the same few dozen links, for every finding of the fleet. */
  private readonly docs = new Map<string, string>();

  constructor(private readonly options: ReportOptions) {}

  private docsOf(ruleId: string): string {
    let url = this.docs.get(ruleId);
    if (url === undefined) {
      url = docsUrlOf(ruleId, this.options.docsBaseUrl);
      this.docs.set(ruleId, url);
    }
    return url;
  }

  add(evaluation: Evaluation): ReportVm {
    const { failOn, minSeverity } = this.options;
    const minRank = SEVERITY_RANK[minSeverity];
    const failRank = failOn === 'never' ? Infinity : SEVERITY_RANK[failOn];
    // Report entries (and their hashed ids) are built only for the findings the report shows: hidden ones are counted.
    const shown: ReportFinding[] = [];
    const exempted: ReportFinding[] = [];
    let hidden = 0;
    let hasError = false;
    // The VM id as findingIdOf hashes it, lower-cased once for all the VM's findings.
    const vmKey = evaluation.vmId.toLowerCase();
    for (const o of evaluation.outcomes) {
      if (!isFinding(o)) continue;
      // Exempted findings go apart first: nothing below counts them, so they never fail the gate.
      if (o.exemption !== undefined) {
        exempted.push(toFinding(o, vmKey, evaluation.edition, this.docsOf(o.ruleId)));
        continue;
      }
      if (o.outcome === 'unknown') this.unknown++;
      else {
        this.failures[o.severity]++;
        if (SEVERITY_RANK[o.severity] >= failRank) this.failed = true;
        if (o.severity === 'error') hasError = true;
      }
      if (SEVERITY_RANK[o.severity] >= minRank) shown.push(toFinding(o, vmKey, evaluation.edition, this.docsOf(o.ruleId)));
      else hidden++;
    }
    this.exempted += exempted.length;
    if (hasError) this.vmsWithErrors++;
    this.hidden += hidden;
    this.vms++;
    const source = this.options.sourceOf?.(evaluation.vmId);
    return {
      id: evaluation.vmId,
      name: evaluation.vmName,
      findings: shown.sort(findingOrder),
      hidden,
      exempted: exempted.sort(findingOrder),
      ...(source !== undefined ? { source } : {}),
      restore: evaluation.restore,
    };
  }

  summary(): CheckReport['summary'] {
    const { vms, vmsWithErrors, unknown, hidden, exempted, failed } = this;
    return { vms, vmsWithErrors, failures: { ...this.failures }, unknown, hidden, exempted, failOn: this.options.failOn, failed };
  }
}

/** Worst VM first, then the one with more findings, then by name: what a person should read first comes first. */
export function sortWorstFirst(vms: ReportVm[]): ReportVm[] {
  return vms.sort((a, b) => worstRank(b.findings) - worstRank(a.findings) || b.findings.length - a.findings.length || a.name.localeCompare(b.name));
}

/** The whole report in memory, VMs worst first: for the table and markdown formats. */
export function buildReport(
  edition: string,
  evaluations: Iterable<Evaluation>,
  options: ReportOptions & { inputErrors: InputError[]; warnings: string[] },
): CheckReport {
  const accumulator = new ReportAccumulator(options);
  const vms: ReportVm[] = [];
  for (const evaluation of evaluations) vms.push(accumulator.add(evaluation));
  return { ...reportHeader(edition), vms: sortWorstFirst(vms), summary: accumulator.summary(), inputErrors: options.inputErrors, warnings: options.warnings };
}

/** The fields every report starts with, in the order the JSON writer streams them. */
export function reportHeader(edition: string): Pick<CheckReport, 'schemaVersion' | 'tool' | 'matrix'> {
  return { schemaVersion: REPORT_SCHEMA_VERSION, tool: { ...TOOL }, matrix: edition };
}
