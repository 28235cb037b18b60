// Evaluations per second of the pure validator over 100,000 synthetic snapshots, on one core, in both editions;
// and, as a yardstick measured in the same run, the ratio to JSON.stringify of the same snapshots.
import { bundledSizeCatalogue } from '../core/inventory/sizeCatalogue.js';
import { parseInventoryDocument } from '../core/inventory/parseInventoryDocument.js';
import { snapshotsOf } from '../core/snapshot/snapshotsOf.js';
import { getEdition } from '../core/matrix/editions/index.js';
import { evaluate } from '../core/matrix/evaluate.js';
import { syntheticFleet } from './syntheticFleet.js';

const COUNT = Number(process.env.BENCH_VMS ?? 100_000);

const parsed = parseInventoryDocument(syntheticFleet(COUNT), 'synthetic');
if (parsed.errors.length > 0) throw new Error(`synthetic fleet is invalid: ${parsed.errors[0]!.path} ${parsed.errors[0]!.message}`);
const snapshots = snapshotsOf(parsed.inventory, bundledSizeCatalogue());

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// Warm up the JIT and the per-edition caches (time zone observance) before measuring.
for (const id of ['2019-02', '2026-03']) for (let i = 0; i < 2000; i++) evaluate(snapshots[i % snapshots.length]!, getEdition(id));

let sink = 0;
const stringifySeconds = time(() => {
  for (const s of snapshots) sink += JSON.stringify(s).length;
});
console.log(`snapshots: ${snapshots.length.toLocaleString('en')} (JSON.stringify of all: ${stringifySeconds.toFixed(3)} s)`);
for (const id of ['2019-02', '2026-03']) {
  const edition = getEdition(id);
  let findings = 0;
  const seconds = time(() => {
    for (const s of snapshots) findings += evaluate(s, edition).outcomes.filter((o) => o.outcome === 'fail').length;
  });
  const perSecond = snapshots.length / seconds;
  console.log(
    `edition ${id}: ${edition.rules.length} rules, ${Math.round(perSecond).toLocaleString('en')} evaluations/s (${seconds.toFixed(3)} s, ${findings.toLocaleString('en')} failures); ` +
      `time vs JSON.stringify of the same snapshots: ${(seconds / stringifySeconds).toFixed(2)}x; goal >= 100,000/s: ${perSecond >= 100_000 ? 'met' : 'NOT met'}`,
  );
}
if (sink === 0) console.log('');
