import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import type { EditionParameters } from './editions/parameters.js';

export type Severity = 'error' | 'warning' | 'info';
export type Outcome = 'pass' | 'fail' | 'unknown' | 'notApplicable';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Where in the support matrix a rule comes from: the section and the row, as the matrix names them. */
export interface Citation {
  section: string;
  row: string;
}

/**
 * What a rule's check says about one VM. `severity` overrides the edition's only where the matrix grades a case:
 * policy.enhanced-required (protected or not), locks.resource-group (does the lock reach the restore points).
 */
export interface RuleResult {
  outcome: Outcome;
  message: string;
  evidence?: Record<string, unknown>;
  severity?: Severity;
}

/** The edition a check runs under: its id and its limits and lists. Rules read nothing else about the edition. */
export interface EditionContext {
  id: string;
  params: EditionParameters;
}

export interface RuleDefinition {
  id: string;
  title: string;
  /** Pure: never throws on odd data, never reads a clock; missing facts give `unknown` naming them. */
  check(snapshot: VmSnapshot, edition: EditionContext): RuleResult;
}

/** One rule's outcome for one VM under one edition, as reported and stored. */
export interface RuleOutcome {
  ruleId: string;
  outcome: Outcome;
  /** The rule's severity for a `fail`; `info` for `unknown` (it never fails a build by itself). */
  severity: Severity;
  message: string;
  evidence: Record<string, unknown>;
  citation: Citation;
  /** Set after evaluation when an exemption covers this finding (core/exemptions): it keeps its outcome. */
  exemption?: ExemptionRef;
}

/** The exemption a finding is under, as reports, stored rows, the API and alerts show it. */
export interface ExemptionRef {
  id: string;
  category: 'waiver' | 'mitigated';
  reason: string;
  /** ISO 8601, or null: no expiry. */
  expiresOn: string | null;
}
