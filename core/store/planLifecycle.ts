import type { Evaluation } from '../matrix/evaluate.js';
import { MAX_CLOCK_SKEW_MS } from './clockSkew.js';
import type { ExemptionRef, RuleOutcome } from '../matrix/types.js';
import { parseArmId } from '../armModel/armId.js';
import { outboxRowFor, type OutboxRow } from './outbox.js';
import type { FindingRow, HistoryEntry, SummaryRow, Transition, Trigger } from './rows.js';
import { findingRowKey, SUMMARY_ROW, vmPartitionKey } from './tableKeys.js';

export interface StoredVm {
  summary: SummaryRow | null;
  findings: Map<string, FindingRow>;
  /** The VM's alert intents, in any state (the index lists them by state). */
  outbox: OutboxRow[];
}

export interface LifecyclePlan {
  /** The stored state is newer than this evaluation's read (an out-of-order event): nothing is written. */
  stale: boolean;
  summary: SummaryRow;
  /** Finding rows to write (new or changed); unchanged rows are left alone. */
  findings: FindingRow[];
  transitions: Transition[];
  /** The alert intent for these transitions, committed with them; null when nothing changed. */
  outbox: OutboxRow | null;
}

const HISTORY_LENGTH = 20;

export interface EvaluationInput {
  evaluation: Evaluation;
  location: string | null;
  /** When the ARM data behind the evaluation was read: the order of evaluations of one VM. */
  observedAt: string;
  trigger: Trigger;
  now: string;
  links?: { protectedItemId: string | null; policyId: string | null };
  fingerprint?: string;
}

function vmIdentity(vmId: string, vmName: string) {
  const parsed = parseArmId(vmId);
  return {
    partitionKey: vmPartitionKey(vmId),
    vmId,
    vmName,
    vmNameLower: vmName.toLowerCase(),
    subscriptionId: (parsed.subscriptionId ?? '').toLowerCase(),
    resourceGroup: (parsed.resourceGroup ?? '').toLowerCase(),
  };
}

/** What a stored finding last said; a row whose evidence does not parse still gives its message. */
function lastSaid(row: FindingRow): Pick<Transition, 'message' | 'evidence'> {
  try {
    const evidence: unknown = JSON.parse(row.evidence || '{}');
    return {
      message: row.message,
      ...(evidence && typeof evidence === 'object' && !Array.isArray(evidence) ? { evidence: evidence as Record<string, unknown> } : {}),
    };
  } catch {
    return { message: row.message };
  }
}

/** Only a read older than the stored one by more than the skew bound is stale (see clockSkew.ts). */
function isStale(stored: SummaryRow | null, observedAt: string): boolean {
  return stored !== null && Date.parse(stored.observedAt) - Date.parse(observedAt) > MAX_CLOCK_SKEW_MS;
}

/**
 * The lifecycle of one VM's findings, as a pure function of what is stored and what was just evaluated: a finding
 * opens (firstSeenAt), stays open (lastSeenAt moves), changes severity, resolves (resolvedAt, reason), or reopens.
 * Resolved findings are kept: they are the VM's history.
 */
export function planEvaluation(stored: StoredVm, input: EvaluationInput): LifecyclePlan {
  const { evaluation, now } = input;
  const identity = vmIdentity(evaluation.vmId, evaluation.vmName);
  const transitions: Transition[] = [];
  const writes: FindingRow[] = [];
  const current = new Map(evaluation.outcomes.map((o) => [o.ruleId, o]));

  for (const outcome of evaluation.outcomes) {
    if (outcome.outcome !== 'fail' && outcome.outcome !== 'unknown') continue;
    const before = stored.findings.get(outcome.ruleId);
    const row = findingRowFrom(identity, outcome, evaluation.edition, before, now);
    writes.push(row);
    // An exempted finding sends no alert, whatever it was before: accepting a finding is not news.
    if (row.state === 'exempted') continue;
    const said = { message: outcome.message, evidence: outcome.evidence };
    if (!before) transitions.push({ kind: 'opened', ruleId: outcome.ruleId, severity: row.severity, outcome: row.outcome, ...said });
    else if (before.state === 'resolved') transitions.push({ kind: 'reopened', ruleId: outcome.ruleId, severity: row.severity, outcome: row.outcome, ...said });
    else if (before.state === 'exempted')
      transitions.push({ kind: 'reopened', ruleId: outcome.ruleId, severity: row.severity, outcome: row.outcome, ...said, ...exemptionEnded(before, now) });
    else if (before.severity !== row.severity || before.outcome !== row.outcome) {
      transitions.push({
        kind: 'severity-changed',
        ruleId: outcome.ruleId,
        severity: row.severity,
        outcome: row.outcome,
        previousSeverity: before.severity,
        ...said,
      });
    }
  }
  for (const before of stored.findings.values()) {
    if (before.state === 'resolved') continue;
    const now_ = current.get(before.ruleId);
    if (now_ && (now_.outcome === 'fail' || now_.outcome === 'unknown')) continue;
    const reason = !now_ ? 'not-in-edition' : now_.outcome === 'pass' ? 'passed' : 'not-applicable';
    writes.push({ ...before, state: 'resolved', resolvedAt: now, resolvedReason: reason, exemption: '' });
    // An exempted finding was never news while exempted, so its going away is not either.
    if (before.state === 'exempted') continue;
    transitions.push({ kind: 'resolved', ruleId: before.ruleId, severity: before.severity, outcome: before.outcome, reason, ...lastSaid(before) });
  }

  const summary = summaryFrom(stored, identity, input, mergeRows(stored.findings, writes), transitions);
  const outbox = transitions.length > 0 ? outboxRowFor(summary, transitions, input.trigger, now) : null;
  return { stale: isStale(stored.summary, input.observedAt), summary, findings: writes, transitions, outbox };
}

/** A deleted VM: every open finding resolves with reason `vm-deleted`; the rows stay as its history. */
export function planDeletion(stored: StoredVm, input: { vmId: string; observedAt: string; trigger: Trigger; now: string }): LifecyclePlan | null {
  if (stored.summary === null) return null;
  // Already recorded as deleted with nothing open: a redelivered event changes nothing (and adds no history).
  if (stored.summary.state === 'deleted' && ![...stored.findings.values()].some((f) => f.state !== 'resolved')) return null;
  const writes: FindingRow[] = [];
  const transitions: Transition[] = [];
  for (const before of stored.findings.values()) {
    if (before.state === 'resolved') continue;
    writes.push({ ...before, state: 'resolved', resolvedAt: input.now, resolvedReason: 'vm-deleted', exemption: '' });
    if (before.state === 'exempted') continue;
    transitions.push({
      kind: 'resolved',
      ruleId: before.ruleId,
      severity: before.severity,
      outcome: before.outcome,
      reason: 'vm-deleted',
      ...lastSaid(before),
    });
  }
  const s = stored.summary;
  const history = appendHistory(s.history, {
    at: input.now,
    trigger: input.trigger,
    edition: s.edition,
    opened: [],
    resolved: transitions.map((t) => t.ruleId),
    changed: ['vm-deleted'],
  });
  const summary: SummaryRow = {
    ...s,
    state: 'deleted',
    observedAt: input.observedAt,
    lastEvaluatedAt: input.now,
    lastTrigger: JSON.stringify(input.trigger),
    openErrors: 0,
    openWarnings: 0,
    openInfo: 0,
    openUnknown: 0,
    history,
  };
  const outbox = transitions.length > 0 ? outboxRowFor(summary, transitions, input.trigger, input.now) : null;
  return { stale: isStale(stored.summary, input.observedAt), summary, findings: writes, transitions, outbox };
}

/** The partition as it stands once `plan` has committed over `stored`: what the index is derived from. */
export function afterPlan(stored: StoredVm, plan: LifecyclePlan): StoredVm {
  const findings = new Map(stored.findings);
  for (const row of plan.findings) findings.set(row.ruleId, row);
  return { summary: plan.summary, findings, outbox: plan.outbox ? [...stored.outbox, plan.outbox] : stored.outbox };
}

/** The exemption an exempted row was under, and whether it expired or was removed (it no longer applies either way). */
function exemptionEnded(before: FindingRow, now: string): Pick<Transition, 'exemption' | 'exemptionEnded'> {
  let ref: ExemptionRef;
  try {
    ref = JSON.parse(before.exemption) as ExemptionRef;
  } catch {
    return { exemptionEnded: 'removed' };
  }
  const expired = ref.expiresOn !== null && Date.parse(ref.expiresOn) <= Date.parse(now);
  return { exemption: ref, exemptionEnded: expired ? 'expired' : 'removed' };
}

function findingRowFrom(identity: ReturnType<typeof vmIdentity>, o: RuleOutcome, edition: string, before: FindingRow | undefined, now: string): FindingRow {
  const state = o.exemption ? 'exempted' : 'open';
  // Back to open from resolved or from an exemption that ended: a reopening (counted, and openedAt moves).
  const reopened = state === 'open' && (before?.state === 'resolved' || before?.state === 'exempted');
  return {
    ...identity,
    rowKey: findingRowKey(o.ruleId),
    ruleId: o.ruleId,
    state,
    exemption: o.exemption ? JSON.stringify(o.exemption) : '',
    outcome: o.outcome as FindingRow['outcome'],
    severity: o.severity,
    message: o.message,
    evidence: JSON.stringify(o.evidence),
    citationSection: o.citation.section,
    citationRow: o.citation.row,
    edition,
    firstSeenAt: before?.firstSeenAt ?? now,
    lastSeenAt: now,
    openedAt: !before || reopened || before.state === 'resolved' ? now : before.openedAt,
    reopenCount: (before?.reopenCount ?? 0) + (reopened ? 1 : 0),
  };
}

function mergeRows(stored: Map<string, FindingRow>, writes: readonly FindingRow[]): FindingRow[] {
  const all = new Map(stored);
  for (const row of writes) all.set(row.ruleId, row);
  return [...all.values()];
}

function appendHistory(history: string, entry: HistoryEntry): string {
  const list = (JSON.parse(history || '[]') as HistoryEntry[]).concat(entry);
  return JSON.stringify(list.slice(-HISTORY_LENGTH));
}

function summaryFrom(
  stored: StoredVm,
  identity: ReturnType<typeof vmIdentity>,
  input: EvaluationInput,
  rows: readonly FindingRow[],
  transitions: readonly Transition[],
): SummaryRow {
  const open = rows.filter((r) => r.state === 'open');
  const count = (f: (r: FindingRow) => boolean) => open.filter(f).length;
  const before = stored.summary;
  const editionChanged = before !== null && before.edition !== input.evaluation.edition;
  const changed = [
    ...transitions.filter((t) => t.kind === 'severity-changed').map((t) => t.ruleId),
    ...(editionChanged ? [`edition ${before.edition} → ${input.evaluation.edition}`] : []),
    ...(before?.state === 'deleted' ? ['vm-reappeared'] : []),
  ];
  const entry: HistoryEntry = {
    at: input.now,
    trigger: input.trigger,
    edition: input.evaluation.edition,
    opened: transitions.filter((t) => t.kind === 'opened' || t.kind === 'reopened').map((t) => t.ruleId),
    resolved: transitions.filter((t) => t.kind === 'resolved').map((t) => t.ruleId),
    changed,
  };
  const newsworthy = before === null || entry.opened.length > 0 || entry.resolved.length > 0 || changed.length > 0;
  return {
    ...identity,
    rowKey: SUMMARY_ROW,
    ...(before?.etag ? { etag: before.etag } : {}),
    location: input.location ?? before?.location ?? '',
    edition: input.evaluation.edition,
    state: 'present',
    observedAt: input.observedAt,
    lastEvaluatedAt: input.now,
    lastTrigger: JSON.stringify(input.trigger),
    openErrors: count((r) => r.outcome === 'fail' && r.severity === 'error'),
    openWarnings: count((r) => r.outcome === 'fail' && r.severity === 'warning'),
    openInfo: count((r) => r.outcome === 'fail' && r.severity === 'info'),
    openUnknown: count((r) => r.outcome === 'unknown'),
    restore: JSON.stringify(input.evaluation.restore),
    protectedItemId: input.links ? (input.links.protectedItemId ?? '').toLowerCase() : (before?.protectedItemId ?? ''),
    policyId: input.links ? (input.links.policyId ?? '').toLowerCase() : (before?.policyId ?? ''),
    fingerprint: input.fingerprint ?? '',
    history: newsworthy ? appendHistory(before?.history ?? '[]', entry) : (before?.history ?? '[]'),
  };
}
