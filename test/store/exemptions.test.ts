import { describe, expect, it } from 'vitest';
import { getEdition } from '../../core/matrix/editions/index.js';
import type { SweepServices } from '../../core/sweep/sweepServices.js';
import { ExemptionStore } from '../../core/store/exemptionStore.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { fleetSummary, queryFindings } from '../../core/store/findingsReads.js';
import { applySweepWork } from '../../core/sweep/applySweepWork.js';
import { fingerprintOf } from '../../core/assessment/fingerprint.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { cleanInventory, RG, VM_ID, type Json } from '../helpers/cleanVm.js';
import { snapshotOf } from '../helpers/evaluateDocument.js';

const azurite = useAzurite();
const EDITION = getEdition('2026-03');
const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;

/** compute.min-size (error) and policy.daylight-saving (info). */
function broken(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.policies[0].properties.timeZone = 'Pacific Standard Time';
  return doc;
}

/**
 * The store's side of exemptions, driven the way the sweep drives it (applySweepWork → the store's exemptions →
 * applyExemptions → applyEvaluation), with the clock injected: the day of each run is `now`.
 */
function setUp() {
  const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
  let today = at(1);
  const services = { store, edition: EDITION, now: () => new Date(today) } as unknown as SweepServices;
  const snapshot = snapshotOf(broken());
  const run = async (day: number) => {
    today = at(day);
    await applySweepWork(services, {
      kind: 'snapshot',
      vmId: VM_ID,
      reason: 'stale',
      snapshot,
      fingerprint: fingerprintOf(snapshot, EDITION.id),
      observedAt: today,
    });
    return store.readVm(VM_ID);
  };
  return { store, exemptions: new ExemptionStore(store), run };
}

const waiver = { id: 'b1s-build-agent', scope: RG, rules: ['compute.min-size'], category: 'waiver', reason: 'build agent', expiresOn: at(10) };

describe('exemptions in the store', () => {
  it('an exempted finding is stored as exempted with its exemption, not counted as open, and sends no alert', async () => {
    const { store, exemptions, run } = setUp();
    const first = await run(1);
    expect(first.findings.get('compute.min-size')!.state).toBe('open');
    expect(first.outbox).toHaveLength(1);

    await exemptions.put(waiver, 'ops@contoso.com', at(2));
    const stored = await run(3);
    const row = stored.findings.get('compute.min-size')!;
    expect(row).toMatchObject({ state: 'exempted', outcome: 'fail', severity: 'error' });
    expect(JSON.parse(row.exemption)).toEqual({ id: 'b1s-build-agent', category: 'waiver', reason: 'build agent', expiresOn: at(10) });
    // The control: the rule the exemption does not name stays open.
    expect(stored.findings.get('policy.daylight-saving')!.state).toBe('open');
    expect(stored.summary).toMatchObject({ openErrors: 0, openInfo: 1 });
    expect(stored.outbox).toHaveLength(1);

    const exempted = await queryFindings(store, { state: 'exempted' });
    expect(exempted.items.map((f) => [f.ruleId, f.state, f.exemption?.id])).toEqual([['compute.min-size', 'exempted', 'b1s-build-agent']]);
    expect((await queryFindings(store, { state: 'open' })).items.map((f) => f.ruleId)).toEqual(['policy.daylight-saving']);
    const summary = await fleetSummary(store);
    expect(summary.findings.byState).toEqual({ open: 1, resolved: 0, exempted: 1 });
    expect(summary.findings.bySeverity.error).toBe(0);
    expect(summary.vms.withOpenErrors).toBe(0);
  });

  it('on expiry the finding reopens at the next evaluation, with one alert intent naming the exemption that ended', async () => {
    const { exemptions, run } = setUp();
    await exemptions.put(waiver, 'ops@contoso.com', at(1));
    const before = await run(2);
    expect(before.findings.get('compute.min-size')!.state).toBe('exempted');
    const intentsBefore = before.outbox.length;
    // Still in force the day before it expires: nothing moves.
    expect((await run(9)).outbox).toHaveLength(intentsBefore);

    const after = await run(11);
    expect(after.findings.get('compute.min-size')).toMatchObject({ state: 'open', exemption: '', reopenCount: 1, openedAt: at(11) });
    expect(after.outbox).toHaveLength(intentsBefore + 1);
    const intent = after.outbox.find((o) => o.createdAt === at(11))!;
    expect(JSON.parse(intent.transitions)).toMatchObject([
      { kind: 'reopened', ruleId: 'compute.min-size', exemptionEnded: 'expired', exemption: { id: 'b1s-build-agent', expiresOn: at(10) } },
    ]);
    // The next run writes no second intent.
    expect((await run(12)).outbox).toHaveLength(intentsBefore + 1);
  });

  it('on removal the finding reopens as removed, and the audit trail keeps who added and removed it', async () => {
    const { exemptions, run } = setUp();
    await exemptions.put({ ...waiver, expiresOn: null }, 'ops@contoso.com', at(1));
    await run(2);
    expect(await exemptions.remove('B1S-BUILD-AGENT', 'lead@contoso.com', at(3))).toBe(true);
    expect(await exemptions.remove('b1s-build-agent', 'lead@contoso.com', at(3))).toBe(false);
    const after = await run(4);
    expect(after.findings.get('compute.min-size')!.state).toBe('open');
    const transitions = JSON.parse(after.outbox.find((o) => o.createdAt === at(4))!.transitions);
    expect(transitions).toMatchObject([{ kind: 'reopened', exemptionEnded: 'removed', exemption: { id: 'b1s-build-agent' } }]);
    expect((await exemptions.auditTrail()).map((a) => [a.action, a.id, a.by, a.at])).toEqual([
      ['added', 'b1s-build-agent', 'ops@contoso.com', at(1)],
      ['removed', 'b1s-build-agent', 'lead@contoso.com', at(3)],
    ]);
    expect(await exemptions.list()).toEqual([]);
  });

  it('refuses an unknown rule id and stores nothing', async () => {
    const { exemptions } = setUp();
    await expect(exemptions.put({ ...waiver, rules: ['compute.nope'] }, 'x', at(1))).rejects.toThrow(/unknown rule id "compute.nope"/);
    expect(await exemptions.list()).toEqual([]);
    expect(await exemptions.auditTrail()).toEqual([]);
  });
});

describe('an exemption that changes marks the VMs under its scope for the sweep', () => {
  const SUB = VM_ID.split('/')[2]!;
  const OTHER_RG_VM = `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Compute/virtualMachines/vm-data-01`;

  /** The set-up's VM (in RG) and one in another group of the same subscription, both stored by the sweep's path. */
  async function twoVms() {
    const { store, exemptions, run } = setUp();
    await run(1);
    const snapshot = { ...snapshotOf(broken()), id: OTHER_RG_VM, name: 'vm-data-01', resourceGroup: 'rg-data' };
    const services = { store, edition: EDITION, now: () => new Date(at(1)) } as unknown as SweepServices;
    await applySweepWork(services, {
      kind: 'snapshot',
      vmId: OTHER_RG_VM,
      reason: 'new',
      snapshot,
      fingerprint: fingerprintOf(snapshot, EDITION.id),
      observedAt: at(1),
    });
    const marked = async () => [...(await store.dirtyMarks()).values()].map((m) => m.vmId.toLowerCase()).sort();
    const clear = async () => {
      for (const mark of (await store.dirtyMarks()).values()) await store.clearDirty(mark.vmId, mark.etag);
    };
    return { store, exemptions, run, marked, clear };
  }

  it('a group scope marks the group VMs the store knows, when added, replaced and removed; not the other group', async () => {
    const { exemptions, marked, clear } = await twoVms();
    expect(await marked()).toEqual([]);
    await exemptions.put(waiver, 'ops', at(2));
    expect(await marked()).toEqual([VM_ID.toLowerCase()]);
    await clear();
    // Replaced with a subscription scope: the VMs under either scope.
    await exemptions.put({ ...waiver, scope: `/subscriptions/${SUB}` }, 'ops', at(3));
    expect(await marked()).toEqual([OTHER_RG_VM.toLowerCase(), VM_ID.toLowerCase()].sort());
    await clear();
    await exemptions.remove(waiver.id, 'ops', at(4));
    expect(await marked()).toEqual([OTHER_RG_VM.toLowerCase(), VM_ID.toLowerCase()].sort());
  });

  it('a VM scope marks that VM only if the store knows it', async () => {
    const { exemptions, marked } = await twoVms();
    await exemptions.put({ ...waiver, id: 'unknown-vm', scope: `${RG}/providers/Microsoft.Compute/virtualMachines/vm-nobody` }, 'ops', at(2));
    expect(await marked()).toEqual([]);
    await exemptions.put({ ...waiver, id: 'known-vm', scope: OTHER_RG_VM }, 'ops', at(2));
    expect(await marked()).toEqual([OTHER_RG_VM.toLowerCase()]);
  });
});
