import { describe, expect, it } from 'vitest';
import { deliverDueAlerts } from '../../core/alerts/deliverAlerts.js';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { findingsQuery } from '../../core/store/findingsQueryPlan.js';
import { getVmReport, queryFindings } from '../../core/store/findingsReads.js';
import { SkippedRows } from '../../core/store/skippedRows.js';
import { vmPartitionKey } from '../../core/store/tableKeys.js';
import { useAzurite, freshTableName } from '../helpers/azurite.js';
import { cleanInventory, VM_ID, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';
import { cli } from '../helpers/runCliInProcess.js';

// One row written straight into the table, as by hand or by another version: every read skips and counts it.
const azurite = useAzurite();
const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

function brokenVm(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.policies[0].properties.timeZone = 'Pacific Standard Time';
  return doc;
}

/** A store with one evaluated VM (two open findings, one pending alert intent), then one finding row and the intent damaged. */
async function damagedStore() {
  const table = freshTableName();
  const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
  await store.applyEvaluation(evaluateDocument(brokenVm(), '2026-03')[0]!, { location: 'westeurope', observedAt: at(1), trigger: { kind: 'cli' }, now: at(1) });
  const stored = await store.readVm(VM_ID);
  const finding = stored.findings.get('compute.min-size')!;
  await store.table.upsertEntity({ ...finding, severity: 'catastrophic', message: 'SECRET-CONTENT' }, 'Replace');
  const { etag: _o, indexKey: _i, transitions: _t, ...intent } = stored.outbox[0]!;
  await store.table.upsertEntity(intent, 'Replace');
  return { store, table, rowKey: finding.rowKey, outboxRowKey: intent.rowKey };
}

describe('a row that fails validation', () => {
  it('is skipped and counted by queries and the VM report, never thrown', async () => {
    const { store } = await damagedStore();
    const all = await queryFindings(store, findingsQuery.parse({}));
    expect(all.items.map((f) => f.ruleId)).toEqual(['policy.daylight-saving']);
    expect(all.skippedRows).toBe(1);
    // Through the index (pointer confirmed by a point read) as well as a VM's own partition.
    const errors = await queryFindings(store, findingsQuery.parse({ severity: 'error', state: 'open' }));
    expect(errors).toMatchObject({ items: [], skippedRows: 1 });
    const skipped = new SkippedRows();
    const report = await getVmReport(store, VM_ID, skipped);
    expect(report).toMatchObject({ skippedRows: 2 });
    expect(skipped.keys.join('\n')).not.toContain('SECRET-CONTENT');
    expect(skipped.keys[0]).toContain(vmPartitionKey(VM_ID));
  });

  it('an unreadable pending alert intent does not stop delivery: it is quarantined as invalid and listed', async () => {
    const { store, outboxRowKey } = await damagedStore();
    const sent: string[] = [];
    const fetchStub = (async (url: string) => {
      sent.push(url);
      return new Response('', { status: 200 });
    }) as unknown as typeof fetch;
    const report = await deliverDueAlerts(store, [{ name: 'hook', type: 'teams', url: 'https://example.test/hook', filter: {} } as never], {
      now: new Date(at(2)),
      fetch: fetchStub,
    });
    expect(report.due).toBe(0);
    expect(await store.invalidAlerts()).toEqual([{ state: 'invalid', vmKey: vmPartitionKey(VM_ID), rowKey: outboxRowKey, vmId: VM_ID, quarantinedAt: at(2) }]);
    // Not met again by the next run.
    expect(await store.dueAlerts(at(3), 100)).toEqual([]);
    expect(await store.invalidAlerts()).toHaveLength(1);
  });

  it('the CLI answers with the good rows, a stderr line and skippedRows; alerts list shows the quarantined intent', async () => {
    const { store, table } = await damagedStore();
    await store.dueAlerts(at(2), 100);
    const found = await cli(['findings', '--store', azurite.connectionString(), '--table', table, '--format', 'json']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({ count: 1, skippedRows: 1 });
    expect(found.stderr).toMatch(/^warning: 1 stored row failed validation and was skipped \(keys: .*\)\n$/);
    expect(found.stderr).not.toContain('SECRET-CONTENT');
    const alerts = await cli(['alerts', 'list', '--store', azurite.connectionString(), '--table', table, '--format', 'json']);
    expect(alerts.code).toBe(0);
    expect(JSON.parse(alerts.stdout)).toMatchObject({ count: 0, invalid: [{ state: 'invalid', vmId: VM_ID }] });
  });
});
