import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../core/assessment/fingerprint.js';
import type { VmSnapshot } from '../../core/snapshot/vmSnapshot.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { snapshotOf } from '../helpers/evaluateDocument.js';

const EDITION = '2026-03';
const base = snapshotOf(cleanInventory());
const as = (value: unknown) => value as VmSnapshot;
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** Keys in the reverse order: the same facts as ARM might list them. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reversedKeys((value as Record<string, unknown>)[k])]),
  );
}

describe('fingerprintOf', () => {
  // Each row: a change to the snapshot or the edition, and whether the sweep must see drift.
  const rows: { name: string; snapshot: VmSnapshot; edition?: string; same: boolean }[] = [
    { name: 'the same snapshot again', snapshot: structuredClone(base), same: true },
    { name: 'object keys in another order', snapshot: as(reversedKeys(base)), same: true },
    { name: 'another size', snapshot: { ...base, size: { ...base.size, name: 'Standard_B1s' } }, same: false },
    { name: 'another power state', snapshot: { ...base, powerState: base.powerState === 'running' ? 'deallocated' : 'running' }, same: false },
    { name: 'a disk fewer', snapshot: { ...base, disks: base.disks.slice(0, -1) }, same: false },
    {
      name: 'protection gained or lost',
      snapshot: { ...base, protection: { ...base.protection, itemId: base.protection.itemId ? null : 'item' } },
      same: false,
    },
    {
      name: 'a fact nested deep (a disk field)',
      snapshot: { ...base, disks: base.disks.map((d, i) => (i === 0 ? { ...d, sizeGiB: (d.sizeGiB ?? 0) + 1 } : d)) },
      same: false,
    },
    { name: 'another edition', snapshot: base, edition: '2019-02', same: false },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.same ? 'the same' : 'a different'} fingerprint`, () => {
      expect(fingerprintOf(row.snapshot, row.edition ?? EDITION) === fingerprintOf(base, EDITION)).toBe(row.same);
    });
  }

  // Pinned values: the hash of `<edition>\n<sorted-key JSON>`, 32 hex characters. A stored fingerprint must stay
  // comparable across versions, or the first sweep after an upgrade re-evaluates the whole fleet.
  const pinned: { value: unknown; edition: string; text: string }[] = [
    { value: { b: 1, a: 'x' }, edition: 'e1', text: 'e1\n{"a":"x","b":1}' },
    { value: { list: [{ z: null, y: true }], n: 2.5 }, edition: '2026-03', text: '2026-03\n{"list":[{"y":true,"z":null}],"n":2.5}' },
    { value: { missing: undefined }, edition: 'e', text: 'e\n{"missing":null}' },
  ];
  for (const row of pinned) {
    it(`pins ${row.text.replace('\n', ' ')}`, () => {
      const fingerprint = fingerprintOf(as(row.value), row.edition);
      expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(fingerprint).toBe(sha(row.text));
    });
  }
});
