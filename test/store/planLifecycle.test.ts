import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../core/matrix/evaluate.js';
import type { RuleOutcome } from '../../core/matrix/types.js';
import { planEvaluation, type StoredVm } from '../../core/store/planLifecycle.js';
import type { Transition } from '../../core/store/rows.js';
import type { FindingRow, SummaryRow } from '../../core/store/rows.js';

/** planEvaluation is pure: each row is a stored finding, what the evaluation now says of its rule, and the plan. */

const VM_ID = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/vm-01';
const EARLIER = '2026-11-01T00:00:00.000Z';
const NOW = '2026-11-26T10:00:00.000Z';
const RULE = 'vm-size-supported';
const EXEMPTION = { id: 'ex-1', category: 'waiver' as const, reason: 'accepted', expiresOn: '2026-11-20T00:00:00.000Z' };

type Stored = {
  state: FindingRow['state'];
  severity?: FindingRow['severity'];
  outcome?: FindingRow['outcome'];
  reopenCount?: number;
  exemption?: typeof EXEMPTION;
};
type Now = 'absent' | 'pass' | 'notApplicable' | { outcome: 'fail' | 'unknown'; severity: RuleOutcome['severity']; exempted?: boolean };

function outcome(now: Exclude<Now, 'absent'>): RuleOutcome {
  const base = { ruleId: RULE, message: 'Standard_B1s has 1 vCPU', evidence: { vCpus: 1 }, citation: { section: 'compute', row: 'size' } };
  if (now === 'pass' || now === 'notApplicable') return { ...base, outcome: now, severity: 'info' };
  return { ...base, outcome: now.outcome, severity: now.severity, ...(now.exempted ? { exemption: EXEMPTION } : {}) };
}

function storedRow(s: Stored): FindingRow {
  return {
    partitionKey: 'pk',
    rowKey: `finding|${RULE}`,
    vmId: VM_ID,
    vmName: 'vm-01',
    vmNameLower: 'vm-01',
    subscriptionId: '11111111-2222-3333-4444-555555555555',
    resourceGroup: 'rg-app',
    ruleId: RULE,
    state: s.state,
    outcome: s.outcome ?? 'fail',
    severity: s.severity ?? 'error',
    message: 'was',
    evidence: '{"vCpus":1}',
    citationSection: 'compute',
    citationRow: 'size',
    edition: '2026-03',
    firstSeenAt: EARLIER,
    lastSeenAt: EARLIER,
    openedAt: EARLIER,
    reopenCount: s.reopenCount ?? 0,
    exemption: s.exemption ? JSON.stringify(s.exemption) : '',
    ...(s.state === 'resolved' ? { resolvedAt: EARLIER, resolvedReason: 'passed' } : {}),
  };
}

function summary(observedAt: string): SummaryRow {
  return {
    partitionKey: 'pk',
    rowKey: 'vm',
    vmId: VM_ID,
    vmName: 'vm-01',
    vmNameLower: 'vm-01',
    subscriptionId: 's',
    resourceGroup: 'rg-app',
    location: 'westeurope',
    edition: '2026-03',
    state: 'present',
    observedAt,
    lastEvaluatedAt: observedAt,
    lastTrigger: '{"kind":"sweep"}',
    openErrors: 1,
    openWarnings: 0,
    openInfo: 0,
    openUnknown: 0,
    restore: '{}',
    history: '[]',
    protectedItemId: '',
    policyId: '',
    fingerprint: '',
  };
}

function plan(stored: Stored | null, now: Now, observedAt = NOW, storedObservedAt = EARLIER) {
  const findings = new Map(stored ? [[RULE, storedRow(stored)]] : []);
  const vm: StoredVm = { summary: stored ? summary(storedObservedAt) : null, findings, outbox: [] };
  const evaluation: Evaluation = {
    vmId: VM_ID,
    vmName: 'vm-01',
    edition: '2026-03',
    outcomes: now === 'absent' ? [] : [outcome(now)],
    restore: {} as Evaluation['restore'],
  };
  return planEvaluation(vm, { evaluation, location: 'westeurope', observedAt, trigger: { kind: 'sweep' }, now: NOW });
}

const ERROR = { outcome: 'fail', severity: 'error' } as const;
const WARNING = { outcome: 'fail', severity: 'warning' } as const;

describe('planEvaluation: one finding through its lifecycle', () => {
  const rows: { name: string; stored: Stored | null; now: Now; transition: Partial<Transition> | null; written: Partial<FindingRow> | null }[] = [
    {
      name: 'a new failure opens',
      stored: null,
      now: ERROR,
      transition: { kind: 'opened', severity: 'error' },
      written: { state: 'open', firstSeenAt: NOW, openedAt: NOW, reopenCount: 0 },
    },
    {
      name: 'an unknown opens too',
      stored: null,
      now: { outcome: 'unknown', severity: 'info' },
      transition: { kind: 'opened', outcome: 'unknown' },
      written: { state: 'open', outcome: 'unknown' },
    },
    { name: 'a pass with nothing stored writes nothing', stored: null, now: 'pass', transition: null, written: null },
    {
      name: 'a failure still failing: no news, lastSeenAt moves, openedAt stays',
      stored: { state: 'open' },
      now: ERROR,
      transition: null,
      written: { state: 'open', firstSeenAt: EARLIER, openedAt: EARLIER, lastSeenAt: NOW },
    },
    {
      name: 'a severity change is news',
      stored: { state: 'open', severity: 'warning' },
      now: ERROR,
      transition: { kind: 'severity-changed', severity: 'error', previousSeverity: 'warning' },
      written: { state: 'open', severity: 'error' },
    },
    {
      name: 'fail → unknown at the same severity is a change',
      stored: { state: 'open', severity: 'info' },
      now: { outcome: 'unknown', severity: 'info' },
      transition: { kind: 'severity-changed', outcome: 'unknown' },
      written: { outcome: 'unknown' },
    },
    {
      name: 'a pass resolves',
      stored: { state: 'open' },
      now: 'pass',
      transition: { kind: 'resolved', reason: 'passed', message: 'was' },
      written: { state: 'resolved', resolvedAt: NOW, resolvedReason: 'passed' },
    },
    {
      name: 'notApplicable resolves as not-applicable',
      stored: { state: 'open' },
      now: 'notApplicable',
      transition: { kind: 'resolved', reason: 'not-applicable' },
      written: { state: 'resolved', resolvedReason: 'not-applicable' },
    },
    {
      name: 'a rule the edition no longer has resolves as not-in-edition',
      stored: { state: 'open' },
      now: 'absent',
      transition: { kind: 'resolved', reason: 'not-in-edition' },
      written: { state: 'resolved', resolvedReason: 'not-in-edition' },
    },
    {
      name: 'a resolved finding failing again reopens and counts it',
      stored: { state: 'resolved', reopenCount: 2 },
      now: WARNING,
      transition: { kind: 'reopened', severity: 'warning' },
      written: { state: 'open', openedAt: NOW, firstSeenAt: EARLIER, reopenCount: 3 },
    },
    { name: 'a resolved finding still passing stays as it was', stored: { state: 'resolved' }, now: 'pass', transition: null, written: null },
    {
      name: 'an exempted failure is written exempted, without news',
      stored: null,
      now: { ...ERROR, exempted: true },
      transition: null,
      written: { state: 'exempted', exemption: JSON.stringify(EXEMPTION) },
    },
    {
      name: 'an open finding newly exempted: no news',
      stored: { state: 'open' },
      now: { ...ERROR, exempted: true },
      transition: null,
      written: { state: 'exempted' },
    },
    {
      name: 'an exemption that expired reopens, naming it',
      stored: { state: 'exempted', exemption: EXEMPTION },
      now: ERROR,
      transition: { kind: 'reopened', exemption: EXEMPTION, exemptionEnded: 'expired' },
      written: { state: 'open', reopenCount: 1, exemption: '' },
    },
    {
      name: 'an exempted finding that passes resolves silently',
      stored: { state: 'exempted', exemption: EXEMPTION },
      now: 'pass',
      transition: null,
      written: { state: 'resolved', resolvedReason: 'passed', exemption: '' },
    },
  ];

  for (const row of rows) {
    it(row.name, () => {
      const p = plan(row.stored, row.now);
      if (row.transition === null) expect(p.transitions).toEqual([]);
      else expect(p.transitions).toEqual([expect.objectContaining({ ruleId: RULE, ...row.transition })]);
      if (row.written === null) expect(p.findings).toEqual([]);
      else expect(p.findings).toEqual([expect.objectContaining({ ruleId: RULE, ...row.written })]);
      // An alert intent exactly when there is news.
      expect(p.outbox === null).toBe(p.transitions.length === 0);
      expect(p.stale).toBe(false);
    });
  }
});

describe('planEvaluation: stale reads and the summary', () => {
  const SKEW_MS = 5_000;
  const earlierBy = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
  const rows: { name: string; observedAt: string; storedObservedAt: string; stale: boolean }[] = [
    { name: 'a read after the stored one is fresh', observedAt: NOW, storedObservedAt: EARLIER, stale: false },
    { name: 'a read older by exactly the skew bound is still fresh', observedAt: earlierBy(SKEW_MS), storedObservedAt: NOW, stale: false },
    { name: 'a read older by more than the skew bound is stale', observedAt: earlierBy(SKEW_MS + 1), storedObservedAt: NOW, stale: true },
  ];
  for (const row of rows) {
    it(row.name, () => expect(plan({ state: 'open' }, ERROR, row.observedAt, row.storedObservedAt).stale).toBe(row.stale));
  }

  it('the summary counts open failures by severity, identity lower-cased from the id', () => {
    const p = plan(null, WARNING);
    expect(p.summary).toMatchObject({
      state: 'present',
      openErrors: 0,
      openWarnings: 1,
      openUnknown: 0,
      subscriptionId: '11111111-2222-3333-4444-555555555555',
      resourceGroup: 'rg-app',
      lastEvaluatedAt: NOW,
    });
  });
});
