import { describe, expect, it } from 'vitest';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { findingsQuery } from '../../core/store/findingsQueryPlan.js';
import { queryFindings } from '../../core/store/findingsReads.js';
import type { FindingRow } from '../../core/store/rows.js';
import { useAzurite, freshTableName } from '../helpers/azurite.js';
import { cleanInventory, VM_ID, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';

const azurite = useAzurite();
const store = () => FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
const trigger = { kind: 'cli' as const };
const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

function brokenVm(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.policies[0].properties.timeZone = 'Pacific Standard Time';
  return doc;
}
const evaluationOf = (doc: Json, edition = '2026-03') => evaluateDocument(doc, edition)[0]!;
const apply = (s: FindingsStore, doc: Json, minute: number, edition = '2026-03') =>
  s.applyEvaluation(evaluationOf(doc, edition), { location: 'westeurope', observedAt: at(minute), trigger, now: at(minute) });
const openRules = (findings: Map<string, FindingRow>) =>
  [...findings.values()]
    .filter((f) => f.state === 'open')
    .map((f) => f.ruleId)
    .sort();

describe('FindingsStore on Azurite', () => {
  it('stores an evaluation: a summary row and one row per finding', async () => {
    const s = store();
    const result = await apply(s, brokenVm(), 1);
    expect(result.transitions.map((t) => `${t.kind} ${t.ruleId}`).sort()).toEqual(['opened compute.min-size', 'opened policy.daylight-saving']);
    const stored = await s.readVm(VM_ID);
    expect(stored.summary).toMatchObject({
      vmName: 'vm-app-01',
      edition: '2026-03',
      openErrors: 1,
      openInfo: 1,
      state: 'present',
      subscriptionId: '11111111-2222-3333-4444-555555555555',
      resourceGroup: 'rg-app',
    });
    expect(stored.findings.get('compute.min-size')).toMatchObject({ state: 'open', severity: 'error', firstSeenAt: at(1), lastSeenAt: at(1) });
  });

  it('the same evaluation again changes no finding state and adds no history', async () => {
    const s = store();
    await apply(s, brokenVm(), 1);
    const before = await s.readVm(VM_ID);
    const again = await apply(s, brokenVm(), 2);
    expect(again.transitions).toEqual([]);
    const after = await s.readVm(VM_ID);
    expect(openRules(after.findings)).toEqual(openRules(before.findings));
    expect(after.findings.get('compute.min-size')).toMatchObject({ firstSeenAt: at(1), lastSeenAt: at(2), reopenCount: 0 });
    expect(JSON.parse(after.summary!.history)).toHaveLength(1);
  });

  it('fixing the VM resolves its findings; breaking it again reopens them', async () => {
    const s = store();
    await apply(s, brokenVm(), 1);
    const fixed = await apply(s, cleanInventory(), 2);
    expect(fixed.transitions.map((t) => `${t.kind} ${t.ruleId} ${t.reason}`).sort()).toEqual([
      'resolved compute.min-size passed',
      'resolved policy.daylight-saving passed',
    ]);
    let stored = await s.readVm(VM_ID);
    expect(stored.findings.get('compute.min-size')).toMatchObject({ state: 'resolved', resolvedAt: at(2), resolvedReason: 'passed' });
    expect(stored.summary).toMatchObject({ openErrors: 0, openInfo: 0 });
    const broken = await apply(s, brokenVm(), 3);
    expect(broken.transitions.map((t) => t.kind)).toEqual(['reopened', 'reopened']);
    stored = await s.readVm(VM_ID);
    expect(stored.findings.get('compute.min-size')).toMatchObject({ state: 'open', firstSeenAt: at(1), openedAt: at(3), reopenCount: 1 });
    expect(JSON.parse(stored.summary!.history).map((h: Json) => [h.opened.length, h.resolved.length])).toEqual([
      [2, 0],
      [0, 2],
      [2, 0],
    ]);
  });

  it('switching edition resolves retired rules as not-applicable and records the change', async () => {
    const s = store();
    const doc = brokenVm();
    doc.virtualMachines[0].zones = ['1'];
    await apply(s, doc, 1, '2019-02');
    const result = await apply(s, doc, 2, '2026-03');
    expect(result.transitions).toContainEqual(expect.objectContaining({ kind: 'resolved', ruleId: 'compute.availability-zone', reason: 'not-applicable' }));
    const history = JSON.parse((await s.readVm(VM_ID)).summary!.history);
    expect(history.at(-1).changed).toContain('edition 2019-02 → 2026-03');
  });

  it('a deleted VM resolves its open findings with reason vm-deleted and keeps them', async () => {
    const s = store();
    await apply(s, brokenVm(), 1);
    const deleted = await s.applyDeletion(VM_ID, { observedAt: at(2), trigger: { kind: 'event', id: 'e-1' }, now: at(2) });
    expect(deleted.transitions.every((t) => t.reason === 'vm-deleted')).toBe(true);
    const stored = await s.readVm(VM_ID);
    expect(stored.summary).toMatchObject({ state: 'deleted', openErrors: 0 });
    expect(openRules(stored.findings)).toEqual([]);
    expect(stored.findings.size).toBe(2);
    expect(await s.applyDeletion(`${VM_ID}-never-seen`, { observedAt: at(2), trigger, now: at(2) })).toEqual({ written: false, stale: false, transitions: [] });
  });

  it('a redelivered delete of a VM already recorded as deleted writes nothing more', async () => {
    const s = store();
    await apply(s, brokenVm(), 1);
    await s.applyDeletion(VM_ID, { observedAt: at(2), trigger, now: at(2) });
    const before = await s.readVm(VM_ID);
    expect(await s.applyDeletion(VM_ID, { observedAt: at(3), trigger, now: at(3) })).toEqual({ written: false, stale: false, transitions: [] });
    expect((await s.readVm(VM_ID)).summary!.etag).toBe(before.summary!.etag);
  });

  it('an evaluation older than the stored one (out of order) writes nothing', async () => {
    const s = store();
    await apply(s, cleanInventory(), 5);
    const late = await apply(s, brokenVm(), 3);
    expect(late).toEqual({ written: false, stale: true, transitions: [] });
    expect(openRules((await s.readVm(VM_ID)).findings)).toEqual([]);
  });

  it('concurrent evaluations of one VM serialise on the ETag: counts always match the rows', async () => {
    const s = store();
    await apply(s, cleanInventory(), 1);
    const docs = [brokenVm(), cleanInventory(), brokenVm(), brokenVm(), cleanInventory(), brokenVm()];
    const results = await Promise.all(docs.map((doc, i) => apply(s, doc, 10 + i)));
    expect(results.every((r) => r.written || r.stale)).toBe(true);
    const stored = await s.readVm(VM_ID);
    const open = [...stored.findings.values()].filter((f) => f.state === 'open');
    expect(stored.summary!.openErrors).toBe(open.filter((f) => f.severity === 'error' && f.outcome === 'fail').length);
    // The newest read wins: minute 15 was the broken VM.
    expect(stored.summary!.observedAt).toBe(at(15));
    expect(openRules(stored.findings)).toEqual(['compute.min-size', 'policy.daylight-saving']);
  });
});

describe('the alert outbox', () => {
  it('commits one alert intent per evaluation that changed something, none for an unchanged one', async () => {
    const s = store();
    await apply(s, brokenVm(), 1);
    await apply(s, brokenVm(), 2);
    await apply(s, cleanInventory(), 3);
    const intents = await s.alerts('all');
    expect(
      intents.map((i) =>
        JSON.parse(i.transitions)
          .map((t: Json) => `${t.kind} ${t.ruleId}`)
          .sort(),
      ),
    ).toEqual([
      ['opened compute.min-size', 'opened policy.daylight-saving'],
      ['resolved compute.min-size', 'resolved policy.daylight-saving'],
    ]);
    expect(intents.every((i) => i.state === 'pending' && i.idempotencyKey.length === 32)).toBe(true);
    expect((await s.dueAlerts(at(2), 10)).length).toBe(1);
    const [first] = await s.dueAlerts(at(9), 10);
    expect(await s.saveAlert({ ...first!, state: 'delivered' })).toMatchObject({ state: 'delivered' });
    expect(await s.saveAlert({ ...first!, state: 'failed' })).toBeNull(); // a stale ETag: another deliverer won
    expect((await s.alerts('delivered')).map((i) => i.idempotencyKey)).toEqual([first!.idempotencyKey]);
  });
});

describe('findings queries', () => {
  it('filter by rule, severity, state and VM, and refuse hostile values before building a filter', async () => {
    const s = store();
    await apply(s, brokenVm(), 1);
    const rows = async (query: Record<string, unknown>) => {
      const page = await queryFindings(s, findingsQuery.parse(query), { pageSize: 100 });
      return page.items.map((f) => f.ruleId).sort();
    };
    expect(await rows({ rule: 'compute.min-size' })).toEqual(['compute.min-size']);
    expect(await rows({ severity: 'info' })).toEqual(['policy.daylight-saving']);
    expect(await rows({ vm: 'VM-APP-01' })).toEqual(['compute.min-size', 'policy.daylight-saving']);
    expect(await rows({ vm: VM_ID.toUpperCase(), state: 'all' })).toEqual(['compute.min-size', 'policy.daylight-saving']);
    expect(await rows({ state: 'resolved' })).toEqual([]);
    // Escaped by the odata template: a quote in a VM name is data, not syntax.
    expect(await rows({ vm: "x' or RowKey ne 'y" })).toEqual([]);
    expect(await rows({ vm: "vm-app-01' or '1' eq '1" })).toEqual([]);
    for (const hostile of [
      { rule: "compute.min-size' or true or '" },
      { subscription: "' or 1 eq 1" },
      { resourceGroup: "rg' or PartitionKey ne '" },
      { severity: 'error or true' },
      { state: 'open) or (true' },
    ]) {
      expect(findingsQuery.safeParse(hostile).success, JSON.stringify(hostile)).toBe(false);
    }
  });
});
