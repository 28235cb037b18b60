import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mergeInventories } from '../core/inventory/mergeInventories.js';
import { parseInventoryDocument } from '../core/inventory/parseInventoryDocument.js';
import { bundledSizeCatalogue } from '../core/inventory/sizeCatalogue.js';
import { snapshotsOf } from '../core/snapshot/snapshotsOf.js';
import { getEdition } from '../core/matrix/editions/index.js';
import { evaluate } from '../core/matrix/evaluate.js';

// The bundled sample fleet (what `npm start` shows) must exercise every rule both ways, or a newcomer never sees it.
const dir = fileURLToPath(new URL('../samples/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const parsed = files.map((file) => ({ file, ...parseInventoryDocument(JSON.parse(readFileSync(dir + file, 'utf8')), file) }));
const merged = mergeInventories(parsed.map(({ file, inventory }) => ({ file, inventory })));
const snapshots = snapshotsOf(merged.inventory, bundledSizeCatalogue());

function outcomeCounts(edition: string): Map<string, { pass: number; fail: number }> {
  const counts = new Map<string, { pass: number; fail: number }>();
  for (const snapshot of snapshots) {
    for (const o of evaluate(snapshot, getEdition(edition)).outcomes) {
      if (o.message.startsWith(`Not in matrix ${edition}:`)) continue;
      const c = counts.get(o.ruleId) ?? { pass: 0, fail: 0 };
      if (o.outcome === 'pass') c.pass++;
      if (o.outcome === 'fail') c.fail++;
      counts.set(o.ruleId, c);
    }
  }
  return counts;
}

describe('the sample fleet', () => {
  it('is valid input with about 20 VMs and no duplicates', () => {
    expect(parsed.flatMap((p) => p.errors)).toEqual([]);
    expect(merged.warnings).toEqual([]);
    expect(snapshots.length).toBeGreaterThanOrEqual(20);
  });

  it('makes every 2019-02 rule fail at least once and pass at least once', () => {
    const lacking = [...outcomeCounts('2019-02')].filter(([, c]) => c.pass === 0 || c.fail === 0).map(([id, c]) => `${id} ${JSON.stringify(c)}`);
    expect(lacking).toEqual([]);
  });

  it('makes every active 2026-03 rule pass, and every new or changed one fail, at least once', () => {
    const counts = outcomeCounts('2026-03');
    const edition = getEdition('2026-03');
    // storage.disk-type accepts every managed disk type Azure has in 2026-03: no real disk can fail it.
    const mustFail = edition.rules.filter((r) => r.retired === null && r.change !== null && r.rule.id !== 'storage.disk-type').map((r) => r.rule.id);
    const lacking = edition.rules
      .filter((r) => r.retired === null)
      .map((r) => [r.rule.id, counts.get(r.rule.id)!] as const)
      .filter(([id, c]) => c.pass === 0 || (mustFail.includes(id) && c.fail === 0))
      .map(([id, c]) => `${id} ${JSON.stringify(c)}`);
    expect(lacking).toEqual([]);
  });
});
