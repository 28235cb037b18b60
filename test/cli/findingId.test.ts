import { describe, expect, it } from 'vitest';
import { findingIdOf, ReportAccumulator } from '../../cli/checkReport.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import type { RestoreMethod } from '../../core/matrix/restore.js';

const VM_ID = '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-App/providers/Microsoft.Compute/virtualMachines/VM-App-01';

describe('findingIdOf', () => {
  it('is pinned: CI systems and exemptions key on it across versions', () => {
    // sha256 of "<lower-cased VM id>\n<rule id>\n<edition>", first 32 hex digits.
    expect(findingIdOf(VM_ID, 'compute.min-size', '2026-03')).toBe('668ec0083154bbc4261b11796f00b761');
    expect(findingIdOf(VM_ID.toUpperCase(), 'compute.min-size', '2026-03')).toBe('668ec0083154bbc4261b11796f00b761');
    expect(findingIdOf(VM_ID, 'compute.min-size', '2019-02')).not.toBe('668ec0083154bbc4261b11796f00b761');
  });

  it('is what the report gives every finding, exempted or not', () => {
    const rule = getEdition('2026-03').rules.find((r) => r.rule.id === 'compute.min-size')!;
    const other = getEdition('2026-03').rules.find((r) => r.rule.id !== 'compute.min-size')!;
    const method: RestoreMethod = { status: 'available', reasons: [] };
    const finding = { outcome: 'fail' as const, severity: 'error' as const, message: 'm', evidence: {} };
    const vm = new ReportAccumulator({ failOn: 'error', minSeverity: 'info' }).add({
      vmId: VM_ID,
      vmName: 'VM-App-01',
      edition: '2026-03',
      outcomes: [
        { ...finding, ruleId: rule.rule.id, citation: rule.citation },
        { ...finding, ruleId: other.rule.id, citation: other.citation, exemption: { id: 'x', category: 'waiver', reason: 'r', expiresOn: null } },
      ],
      restore: { createVm: method, restoreDisks: method, replaceDisks: method, fileRecovery: method },
    });
    expect(vm.findings.map((f) => f.findingId)).toEqual(['668ec0083154bbc4261b11796f00b761']);
    expect(vm.exempted.map((f) => f.findingId)).toEqual([findingIdOf(VM_ID, other.rule.id, '2026-03')]);
  });
});
