import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../core/runtime/config.js';
import { encodeSweepWork, MAX_MESSAGE_CHARS, MAX_WORK_JSON_BYTES, parseSweepMessage, vmIdOfMessageText } from '../../core/queue/sweepMessage.js';
import { poisonQueuesOf } from '../../core/queue/poisonReport.js';
import { queueConnectionOf, sweepQueueName } from '../../core/queue/sweepQueue.js';
import type { SweepWork } from '../../core/queue/sweepWorkItem.js';
import { cleanInventory, VM_ID } from '../helpers/cleanVm.js';
import { snapshotOf } from '../helpers/evaluateDocument.js';

const decoded = (text: string): unknown => JSON.parse(Buffer.from(text, 'base64').toString('utf8'));

function snapshotWork(missing: string[] = []): SweepWork {
  const snapshot = snapshotOf(cleanInventory());
  return {
    kind: 'snapshot',
    vmId: VM_ID,
    reason: 'drift',
    snapshot: { ...snapshot, missing },
    fingerprint: 'f1',
    observedAt: '2026-11-26T10:00:00.000Z',
    dirtyEtag: 'W/"1"',
  };
}

/** A work item whose JSON is exactly `bytes` long (ASCII filler in `missing`). */
function workOfJsonBytes(bytes: number): SweepWork {
  const base = JSON.stringify(snapshotWork(['']));
  return snapshotWork(['x'.repeat(bytes - Buffer.byteLength(base))]);
}

describe('sweep work as a queue message', () => {
  it('is base64 JSON that the worker parses back to the same work, the snapshot checked by its own schema', () => {
    const work = snapshotWork();
    const { text, fellBackToReread } = encodeSweepWork(work);
    expect(fellBackToReread).toBe(false);
    expect(text).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    // The host hands a JSON message over parsed; as text it parses the same.
    expect(parseSweepMessage(decoded(text))).toEqual({ ok: true, work });
    expect(parseSweepMessage(Buffer.from(text, 'base64').toString('utf8'))).toEqual({ ok: true, work });
    expect(vmIdOfMessageText(text)).toBe(VM_ID);
  });

  it('refuses what is not sweep work, naming the problem and nothing of the content', () => {
    const work = snapshotWork() as Extract<SweepWork, { kind: 'snapshot' }>;
    expect(parseSweepMessage('SECRET not json')).toEqual({ ok: false, problem: 'not JSON' });
    expect(parseSweepMessage({ kind: 'snapshot', vmId: VM_ID, reason: 'drift' })).toEqual({ ok: false, problem: 'not sweep work' });
    expect(parseSweepMessage({ ...work, snapshot: { ...work.snapshot, disks: 'SECRET' } })).toEqual({ ok: false, problem: 'not sweep work' });
    expect(parseSweepMessage({ kind: 'reread', vmId: VM_ID, reason: 'bored' })).toEqual({ ok: false, problem: 'not sweep work' });
    expect(parseSweepMessage({ ...work, observedAt: 'yesterday' })).toEqual({ ok: false, problem: 'not sweep work' });
    // Control: the same shapes, well-formed, pass.
    expect(parseSweepMessage({ kind: 'reread', vmId: VM_ID, reason: 'dirty' }).ok).toBe(true);
    expect(parseSweepMessage({ ...work }).ok).toBe(true);
    expect(vmIdOfMessageText('not base64 json')).toBeNull();
  });

  it('fills a message to the last character, and work one byte bigger goes as a reread of the VM', () => {
    const fits = encodeSweepWork(workOfJsonBytes(MAX_WORK_JSON_BYTES));
    expect(fits.fellBackToReread).toBe(false);
    expect(fits.text.length).toBe(MAX_MESSAGE_CHARS);
    const tooBig = encodeSweepWork(workOfJsonBytes(MAX_WORK_JSON_BYTES + 1));
    expect(tooBig.fellBackToReread).toBe(true);
    expect(decoded(tooBig.text)).toEqual({ kind: 'reread', vmId: VM_ID, reason: 'drift', dirtyEtag: 'W/"1"' });
    expect(parseSweepMessage(decoded(tooBig.text)).ok).toBe(true);
  });
});

describe('where the sweep queue is', () => {
  const credential = { getToken: async () => null };

  it('a connection string names it; with the identity, FINDINGS_STORAGE__queueServiceUri does, or there is none', () => {
    const connected = loadSettings({ FINDINGS_STORAGE: 'UseDevelopmentStorage=true' });
    expect(queueConnectionOf(connected.storage, credential)).toEqual({ connectionString: 'UseDevelopmentStorage=true' });
    const identity = loadSettings({
      FINDINGS_STORAGE__tableServiceUri: 'https://st.table.core.windows.net/',
      FINDINGS_STORAGE__queueServiceUri: 'https://st.queue.core.windows.net/',
    });
    expect(identity.storage).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://st.table.core.windows.net/',
      queueServiceUri: 'https://st.queue.core.windows.net/',
    });
    expect(queueConnectionOf(identity.storage, credential)).toEqual({ queueServiceUri: 'https://st.queue.core.windows.net/', credential });
    const tableOnly = loadSettings({ FINDINGS_STORAGE__tableServiceUri: 'https://st.table.core.windows.net/' });
    expect(queueConnectionOf(tableOnly.storage, credential)).toBeNull();
    expect(() => loadSettings({ FINDINGS_STORAGE__tableServiceUri: 'https://st.table.core.windows.net/', FINDINGS_STORAGE__queueServiceUri: 'queue' })).toThrow(
      /FINDINGS_STORAGE__queueServiceUri/,
    );
  });

  it('is named after the findings table, within the 63 characters a queue name may have, poison suffix included', () => {
    expect(sweepQueueName('vmbackupguardfindings')).toBe('vmbackupguardfindings-sweep');
    expect(`${sweepQueueName(`T${'a'.repeat(62)}`)}-poison`.length).toBeLessThanOrEqual(63);
    expect(sweepQueueName(`T${'a'.repeat(62)}`)).toMatch(/^[a-z0-9-]+$/);
  });

  it('a store without a queue endpoint reports its poison queue as not read, without asking anyone', async () => {
    const tableOnly = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;';
    const unread = (error: unknown) => ['findings-sweep-poison', 'findings-events-poison'].map((queue) => ({ queue, count: null, messages: [], error }));
    expect(await poisonQueuesOf({ connectionString: tableOnly }, 'findings')).toEqual(unread('the storage connection string names no queue endpoint'));
    expect(await poisonQueuesOf(null, 'findings')).toEqual(unread(expect.stringMatching(/no queue endpoint is configured/)));
  });
});
