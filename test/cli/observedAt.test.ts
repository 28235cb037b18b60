import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FindingsStore } from '../../core/store/index.js';
import { useAzurite, freshTableName } from '../helpers/azurite.js';
import { cleanInventory, VM_ID, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

// Ordering without trusting one clock: file data is as old as its export, and stamps closer than the skew bound
// are not ordered by them.
const azurite = useAzurite();
const HOUR = 3_600_000;

function brokenVm(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  return doc;
}

/** A store where the functions evaluated the (fixed) VM an hour ago. */
async function evaluatedStore() {
  const table = freshTableName();
  const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
  const at = new Date(Date.now() - HOUR).toISOString();
  await store.applyEvaluation(evaluateDocument(cleanInventory(), '2026-03')[0]!, {
    location: 'westeurope',
    observedAt: at,
    trigger: { kind: 'event', id: 'e1' },
    now: at,
  });
  return { store, table };
}
const openErrors = async (store: FindingsStore) => (await store.readVm(VM_ID)).summary!.openErrors;

describe('check --store and the time its data was observed', () => {
  it("a week-old export (the file's modification time) does not reopen a finding over a newer evaluation", async () => {
    const { store, table } = await evaluatedStore();
    const dir = tempFiles({ 'old.json': brokenVm() });
    const weekAgo = new Date(Date.now() - 7 * 24 * HOUR);
    utimesSync(join(dir, 'old.json'), weekAgo, weekAgo);
    const run = await cli(['check', '--store', azurite.connectionString(), '--table', table, join(dir, 'old.json')]);
    expect(run.stderr).toContain('1 VM not stored: the store holds a fresher evaluation');
    expect(await openErrors(store)).toBe(0);
    expect(await store.dueAlerts(new Date().toISOString(), 10)).toEqual([]);
  });

  it('--observed-at is used when given; --force stores the data over a fresher evaluation', async () => {
    const { store, table } = await evaluatedStore();
    const dir = tempFiles({ 'vms.json': brokenVm() });
    const old = new Date(Date.now() - 2 * HOUR).toISOString();
    await cli(['check', '--store', azurite.connectionString(), '--table', table, '--observed-at', old, join(dir, 'vms.json')]);
    expect(await openErrors(store)).toBe(0);
    const forced = await cli(['check', '--store', azurite.connectionString(), '--table', table, '--observed-at', old, '--force', join(dir, 'vms.json')]);
    expect(forced.stderr).not.toContain('not stored');
    expect(await openErrors(store)).toBe(1);
  });

  it('--observed-at must be a zoned ISO time, not in the future', async () => {
    const dir = tempFiles({ 'vms.json': cleanInventory() });
    for (const value of ['yesterday', '2026-11-26 10:00', new Date(Date.now() + HOUR).toISOString()]) {
      const run = await cli(['check', '--store', azurite.connectionString(), '--table', freshTableName(), '--observed-at', value, join(dir, 'vms.json')]);
      expect({ value, code: run.code }).toEqual({ value, code: 2 });
    }
  });

  it('a fresher read stamped by a host whose clock is 2 s behind is not dropped (the skew bound)', async () => {
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
    const t = Date.parse('2026-11-26T10:00:00.000Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    // Host A (clock 2 s ahead) read the broken VM; host B read it after the fix, stamped by its slower clock.
    await store.applyEvaluation(evaluateDocument(brokenVm(), '2026-03')[0]!, {
      location: 'westeurope',
      observedAt: iso(t + 2_000),
      trigger: { kind: 'event' },
      now: iso(t + 2_000),
    });
    const fixed = await store.applyEvaluation(evaluateDocument(cleanInventory(), '2026-03')[0]!, {
      location: 'westeurope',
      observedAt: iso(t + 1_000),
      trigger: { kind: 'event' },
      now: iso(t + 1_000),
    });
    expect(fixed.stale).toBe(false);
    expect(await openErrors(store)).toBe(0);
    // Beyond the bound, the older read is stale.
    const late = await store.applyEvaluation(evaluateDocument(brokenVm(), '2026-03')[0]!, {
      location: 'westeurope',
      observedAt: iso(t - 60_000),
      trigger: { kind: 'event' },
      now: iso(t + 3_000),
    });
    expect(late.stale).toBe(true);
  });
});
