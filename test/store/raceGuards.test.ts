import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { FindingsStore } from '../../core/store/findingsStore.js';
import { idKey } from '../../core/armModel/armId.js';
import { useAzurite, freshTableName } from '../helpers/azurite.js';
import { cleanInventory, VM_ID, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';

// These guard the store's two concurrency promises with a deterministic interleaving: a pipeline policy runs the
// rival's step between this client's read and its write. Each fails if the ETag on that write is dropped.
const azurite = useAzurite();
const trigger = { kind: 'cli' as const };
const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

function brokenVm(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  return doc;
}
const evaluationOf = (doc: Json) => evaluateDocument(doc, '2026-03')[0]!;

/** A client of `table` that runs `rival` once, just before its first request matching `when` goes out. */
function storeWithRival(table: string, when: (method: string, url: string) => boolean, rival: () => Promise<unknown>): FindingsStore {
  let done = false;
  const policy: PipelinePolicy = {
    name: 'interleaveRival',
    sendRequest: async (request, next) => {
      if (!done && when(request.method, request.url)) {
        done = true;
        await rival();
      }
      return next(request);
    },
  };
  return FindingsStore.connect({ connectionString: azurite.connectionString() }, table, { additionalPolicies: [{ policy, position: 'perCall' }] });
}

describe('store race guards', () => {
  it('two evaluations of an existing VM with different outcomes never interleave: the loser re-reads and re-plans', async () => {
    const table = freshTableName();
    const plain = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    await plain.applyEvaluation(evaluationOf(brokenVm()), { location: 'westeurope', observedAt: at(1), trigger, now: at(1) });
    // The rival fixes the VM between this evaluation's read of the partition and its transaction (a batch POST).
    const racing = storeWithRival(
      table,
      (method, url) => method === 'POST' && url.includes('$batch'),
      () => plain.applyEvaluation(evaluationOf(cleanInventory()), { location: 'westeurope', observedAt: at(2), trigger, now: at(2) }),
    );
    const result = await racing.applyEvaluation(evaluationOf(brokenVm()), { location: 'westeurope', observedAt: at(3), trigger, now: at(3) });
    expect(result.transitions.map((t) => t.kind)).toEqual(['reopened']);
    const stored = await plain.readVm(VM_ID);
    // Three evaluations, three history entries: opened, resolved, reopened. An unconditional write loses the middle one.
    expect(JSON.parse(stored.summary!.history).map((h: Json) => [h.opened.length, h.resolved.length])).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(stored.findings.get('compute.min-size')).toMatchObject({ state: 'open', reopenCount: 1 });
    expect(stored.summary).toMatchObject({ openErrors: 1 });
  });

  it('clearing a dirty mark that was set again since it was read leaves the newer mark', async () => {
    const table = freshTableName();
    const plain = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    await plain.markDirty(VM_ID, { cause: 'disk', eventId: 'e1', at: at(1) });
    const key = idKey(VM_ID);
    const racing = storeWithRival(
      table,
      (method) => method === 'DELETE',
      () => plain.markDirty(VM_ID, { cause: 'nic', eventId: 'e2', at: at(2) }),
    );
    const marks = await racing.dirtyMarks();
    await racing.clearDirty(VM_ID, marks.get(key)!.etag);
    expect(await plain.isDirty(VM_ID)).toBe(true);
    // The mark it read is gone only when nothing rewrote it.
    const again = await plain.dirtyMarks();
    await plain.clearDirty(VM_ID, again.get(key)!.etag);
    expect(await plain.isDirty(VM_ID)).toBe(false);
  });
});
