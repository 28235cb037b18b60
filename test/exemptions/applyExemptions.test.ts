import { describe, expect, it } from 'vitest';
import { applyExemptions, scopeCovers, tagExemption, TAG_EXEMPTION_ID, winningExemption } from '../../core/exemptions/applyExemptions.js';
import { exemptionErrors, exemptionSchema, exemptionsFile, type Exemption } from '../../core/exemptions/exemption.js';
import type { Evaluation } from '../../core/matrix/evaluate.js';
import { fingerprintOf } from '../../core/assessment/fingerprint.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { snapshotOf } from '../helpers/evaluateDocument.js';

const SUB = '/subscriptions/11111111-2222-3333-4444-555555555555';
const RG = `${SUB}/resourceGroups/rg-app`;
const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-app-01`;
const NOW = '2026-06-01T00:00:00.000Z';

function exemption(fields: Partial<Exemption> & { id: string; scope: string }): Exemption {
  return exemptionSchema.parse({ rules: ['compute.min-size'], category: 'waiver', reason: 'build agent', ...fields });
}

function evaluationWith(...failing: string[]): Evaluation {
  const citation = { section: 's', row: 'r' };
  return {
    vmId: VM,
    vmName: 'vm-app-01',
    edition: '2026-03',
    outcomes: [
      ...failing.map((ruleId) => ({ ruleId, outcome: 'fail' as const, severity: 'error' as const, message: 'm', evidence: {}, citation })),
      { ruleId: 'os.supported', outcome: 'pass' as const, severity: 'error' as const, message: 'ok', evidence: {}, citation },
    ],
    restore: {} as Evaluation['restore'],
  };
}

describe('exemption scope', () => {
  it('covers a VM from its subscription, its resource group and its own id, case-insensitively', () => {
    for (const scope of [SUB, RG, VM, VM.toUpperCase(), RG.toLowerCase()]) expect(scopeCovers(scope, VM)).toBe(true);
  });

  it('negative control: another resource group, a name prefix, another subscription do not cover it', () => {
    expect(scopeCovers(`${SUB}/resourceGroups/rg-app-2`, VM)).toBe(false);
    expect(scopeCovers(`${SUB}/resourceGroups/rg`, VM)).toBe(false);
    expect(scopeCovers('/subscriptions/99999999-2222-3333-4444-555555555555', VM)).toBe(false);
    expect(scopeCovers(`${VM}-2`, VM)).toBe(false);
  });

  it('applies each scope kind, and only to the rules it names (or *)', () => {
    for (const scope of [SUB, RG, VM]) {
      const out = applyExemptions(evaluationWith('compute.min-size', 'agent.ready'), null, { exemptions: [exemption({ id: 'e1', scope })], now: NOW });
      expect(out.outcomes.find((o) => o.ruleId === 'compute.min-size')!.exemption).toEqual({
        id: 'e1',
        category: 'waiver',
        reason: 'build agent',
        expiresOn: null,
      });
      expect(out.outcomes.find((o) => o.ruleId === 'agent.ready')!.exemption).toBeUndefined();
    }
    const all = applyExemptions(evaluationWith('compute.min-size', 'agent.ready'), null, {
      exemptions: [exemption({ id: 'all', scope: RG, rules: ['*'] })],
      now: NOW,
    });
    expect(all.outcomes.filter((o) => o.exemption).map((o) => o.ruleId)).toEqual(['compute.min-size', 'agent.ready']);
    // A passing outcome is not a finding: nothing to exempt.
    expect(all.outcomes.find((o) => o.ruleId === 'os.supported')!.exemption).toBeUndefined();
  });

  it('an expired exemption does not apply; one expiring later does', () => {
    const expired = exemption({ id: 'old', scope: VM, expiresOn: '2026-05-31T23:59:59Z' });
    const later = exemption({ id: 'later', scope: VM, expiresOn: '2026-06-02' });
    expect(winningExemption([expired], VM, 'compute.min-size', NOW)).toBeNull();
    expect(winningExemption([expired, later], VM, 'compute.min-size', NOW)?.id).toBe('later');
  });
});

describe('precedence: which exemption wins', () => {
  it('the narrower scope, then a named rule over *, then a stored one over the tag, then the longer-lasting, then the id', () => {
    const sub = exemption({ id: 'z-sub', scope: SUB });
    const rg = exemption({ id: 'y-rg', scope: RG });
    const vmStar = exemption({ id: 'x-vm-star', scope: VM, rules: ['*'] });
    const vmNamed = exemption({ id: 'w-vm', scope: VM, expiresOn: '2027-01-01' });
    const vmNamedForever = exemption({ id: 'v-vm', scope: VM });
    const tag = tagExemption(VM, 'compute.min-size: build agent')!;
    const win = (list: Exemption[]) => winningExemption(list, VM, 'compute.min-size', NOW)?.id;
    expect(win([sub, rg])).toBe('y-rg');
    expect(win([sub, rg, vmStar])).toBe('x-vm-star');
    expect(win([vmStar, vmNamed])).toBe('w-vm');
    expect(win([tag, vmNamed])).toBe('w-vm');
    expect(win([vmNamed, vmNamedForever])).toBe('v-vm');
    expect(win([exemption({ id: 'b', scope: VM }), exemption({ id: 'a', scope: VM })])).toBe('a');
    // Order of the list never matters.
    expect(win([vmNamedForever, vmNamed, tag, vmStar, rg, sub])).toBe('v-vm');
  });
});

describe('the vm-backup-guard-exempt tag', () => {
  it('exempts the rules it names with its reason', () => {
    const out = applyExemptions(evaluationWith('compute.min-size', 'agent.ready'), 'compute.min-size, agent.ready: protected by another tool', {
      exemptions: [],
      now: NOW,
    });
    expect(out.outcomes.filter((o) => o.exemption).map((o) => [o.ruleId, o.exemption!.id, o.exemption!.reason])).toEqual([
      ['compute.min-size', TAG_EXEMPTION_ID, 'protected by another tool'],
      ['agent.ready', TAG_EXEMPTION_ID, 'protected by another tool'],
    ]);
  });

  it('negative controls: no reason, no colon, or only unknown rule ids exempt nothing', () => {
    for (const tag of ['compute.min-size:', 'compute.min-size', 'no.such-rule: because', '']) expect(tagExemption(VM, tag)).toBeNull();
    expect(tagExemption(VM, 'no.such-rule, compute.min-size: because')!.rules).toEqual(['compute.min-size']);
  });
});

describe('validation', () => {
  it('refuses an unknown rule id, a bad scope, a missing reason, a bad category or date, duplicate ids', () => {
    const bad = exemptionsFile.safeParse({
      exemptions: [
        { id: 'a', scope: VM, rules: ['compute.no-such-rule'], category: 'waiver', reason: 'r' },
        { id: 'b', scope: `${VM}/extensions/x`, rules: ['*'], category: 'waiver', reason: 'r' },
        { id: 'c', scope: VM, rules: ['*'], category: 'waiver', reason: ' ' },
        { id: 'd', scope: VM, rules: ['*'], category: 'accepted', reason: 'r', expiresOn: 'next week' },
      ],
    });
    expect(bad.success).toBe(false);
    const errors = exemptionErrors(bad.error!);
    expect(errors).toContain('exemptions[0].rules: unknown rule id "compute.no-such-rule"');
    expect(errors).toContain('exemptions[1].scope: must be a subscription, resource group or VM resource id');
    expect(errors).toContain('exemptions[2].reason: is required');
    expect(errors.some((e) => e.startsWith('exemptions[3].category'))).toBe(true);
    expect(errors).toContain('exemptions[3].expiresOn: must be an ISO 8601 date or time');
  });

  it('refuses two exemptions with one id (ids compare case-insensitively)', () => {
    const twice = exemptionsFile.safeParse({ exemptions: ['a', 'A'].map((id) => ({ id, scope: VM, rules: ['*'], category: 'waiver', reason: 'r' })) });
    expect(exemptionErrors(twice.error!)).toEqual(['exemptions[1].id: duplicate id "A"']);
  });

  it('negative control: a well-formed file is accepted as is', () => {
    const good = exemptionsFile.safeParse({
      exemptions: [{ id: 'a', scope: `${RG}/`, rules: ['compute.min-size'], category: 'mitigated', reason: 'r', expiresOn: '2027-01-01' }],
    });
    expect(good.success).toBe(true);
    expect(good.data!.exemptions[0]!.scope).toBe(RG);
  });
});

describe('the tag in the snapshot', () => {
  it('is read case-insensitively; an untagged VM has no exemptTag key, so its fingerprint is as before exemptions', () => {
    const untagged = snapshotOf(cleanInventory());
    expect('exemptTag' in untagged).toBe(false);
    const doc = cleanInventory();
    doc.virtualMachines[0].tags = { env: 'prod', 'VM-BACKUP-GUARD-EXEMPT': '*: lab VM' };
    const tagged = snapshotOf(doc);
    expect(tagged.exemptTag).toBe('*: lab VM');
    // A tag change is drift the sweep must see (the exemption changes what is stored).
    expect(fingerprintOf(tagged, '2026-03')).not.toBe(fingerprintOf(untagged, '2026-03'));
    const otherTags = cleanInventory();
    otherTags.virtualMachines[0].tags = { env: 'prod' };
    expect(fingerprintOf(snapshotOf(otherTags), '2026-03')).toBe(fingerprintOf(untagged, '2026-03'));
  });
});
