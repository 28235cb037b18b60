import type { Figure, SizeReport, SweepFigure } from './scenario.js';

const n = (value: number) => value.toLocaleString('en');
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** At most this many requests of an operation are listed when tracing (BENCH_FLEET_TRACE=1). */
const TRACE_LINES = 40;

function line(label: string, f: Figure, detail = ''): string {
  const scans =
    f.scans.length > 0
      ? `; ${f.scans.length} quer${f.scans.length === 1 ? 'y' : 'ies'} without a partition, each charged the whole table: ${f.scans.slice(0, 2).join(' | ')}`
      : '';
  const trace =
    f.trace
      .slice(0, TRACE_LINES)
      .map((t) => `\n        ${t}`)
      .join('') + (f.trace.length > TRACE_LINES ? `\n        ... ${f.trace.length - TRACE_LINES} more` : '');
  return `    ${label.padEnd(34)} ${n(f.rows).padStart(9)} rows ${n(f.requests).padStart(7)} requests${detail}${scans}${trace}`;
}

function sweepLine(label: string, f: SweepFigure): string {
  const perVm = f.protectedVms > 0 ? ` (${(f.rows / f.protectedVms).toFixed(3)} per protected VM read)` : '';
  return line(
    label,
    f,
    `${perVm}; ${n(f.evaluated)} re-evaluated (${f.note}); ${f.graphRequests} Resource Graph requests; ${f.seconds.toFixed(1)} s; peak RSS ${mb(f.maxRssBytes)} (heap ${mb(f.peakHeapBytes)})`,
  );
}

/** The figures of one size, as measured. */
export function printSize(r: SizeReport, print: (text: string) => void): void {
  print(
    `\n${n(r.size)} protected VMs over 100 subscriptions (${n(r.tableRows)} rows in the findings table after loading; load ${r.seconds.load?.toFixed(0)} s)`,
  );
  print('  per event (vmChanged with the fake ARM):');
  print(line('VM write', r.events.vmWrite, `  (ARM ${r.events.vmWrite.armRequests})`));
  print(line('disk write', r.events.diskWrite, `  (ARM ${r.events.diskWrite.armRequests})`));
  print(line('backup policy write', r.events.policyWrite, `  (${r.events.policyWrite.note})`));
  print(line('protected item write', r.events.itemWrite, `  (ARM ${r.events.itemWrite.armRequests})`));
  print('  per alert run (deliverDueAlerts → webhook on 127.0.0.1):');
  print(line('nothing due', r.alerts.noneDue, `  (${r.alerts.noneDue.returned} due)`));
  print(line('10 due', r.alerts.tenDue, `  (${r.alerts.tenDue.returned} due)`));
  print('  per sweep (in a child process):');
  print(sweepLine('full, unchanged', r.sweeps.fullUnchanged));
  print(sweepLine('full, 1% drift', r.sweeps.fullDrift));
  print(sweepLine('incremental, unchanged', r.sweeps.incrementalUnchanged));
  print(sweepLine('incremental, 1% drift', r.sweeps.incrementalDrift));
  print('  per query (every page):');
  for (const [label, f] of [
    ['open findings, one subscription', r.queries.subscription],
    [`one rule fleet-wide`, r.queries.rule],
    ['one VM by name', r.queries.vmName],
    ['fleet summary', r.queries.summary],
  ] as const) {
    print(
      line(
        label,
        f,
        `, ${n(f.returned ?? 0)} returned (${(f.rows / Math.max(1, f.returned ?? 0)).toFixed(2)} read per row returned)${f.note ? `; ${f.note}` : ''}`,
      ),
    );
  }
}

interface Goal {
  text: string;
  ok: boolean;
  detail: string;
}

/** Two figures are "the same" within 10% or 5 rows (the fleets differ in size, not in the VMs the bench acts on). */
const same = (a: number, b: number) => Math.abs(a - b) <= Math.max(5, 0.1 * Math.max(a, b));

/** What a query reads beyond its answer (a pointer and a row per finding returned): flat if it follows the answer. */
const queryOverhead = (f: Figure) => f.rows - 2 * (f.returned ?? 0);

export function goals(reports: readonly SizeReport[]): Goal[] {
  const all: Goal[] = [];
  for (const r of reports) {
    const at = `at ${n(r.size)}`;
    const events = Object.entries(r.events);
    const worstEvent = events.reduce((a, b) => (b[1].rows > a[1].rows ? b : a));
    all.push({
      text: `≤ 200 rows per event ${at}`,
      ok: events.every(([, f]) => f.rows <= 200),
      detail: events.map(([k, f]) => `${k} ${n(f.rows)}`).join(', ') + (worstEvent[1].rows > 200 ? ` (worst: ${worstEvent[0]})` : ''),
    });
    all.push({
      text: `≤ 10 rows per alert run with nothing due ${at}`,
      ok: r.alerts.noneDue.rows <= 10 && r.alerts.noneDue.returned === 0,
      detail: `${n(r.alerts.noneDue.rows)} rows, ${r.alerts.noneDue.returned} due`,
    });
    const full = r.sweeps.fullUnchanged;
    all.push({
      text: `≤ 1.1 rows per protected VM, unchanged full sweep ${at}`,
      ok: full.rows <= 1.1 * r.protectedVms,
      detail: `${(full.rows / r.protectedVms).toFixed(3)} per VM (${n(full.rows)} rows, ${n(r.protectedVms)} VMs)`,
    });
    const inc = r.sweeps.incrementalUnchanged;
    all.push({
      text: `≤ 50 rows and ≤ 10 requests, unchanged incremental sweep ${at}`,
      ok: inc.rows <= 50 && inc.requests <= 10,
      detail: `${n(inc.rows)} rows, ${n(inc.requests)} table requests (+${inc.graphRequests} Resource Graph)`,
    });
    for (const [k, f] of Object.entries(r.queries)) {
      all.push({
        text: `≤ 2 × returned + 1,000 rows, query ${k} ${at}`,
        ok: f.rows <= 2 * (f.returned ?? 0) + 1000,
        detail: `${n(f.rows)} rows for ${n(f.returned ?? 0)} returned`,
      });
    }
    all.push({
      text: `sweep peak RSS ≤ 1 GB ${at}`,
      ok: Math.max(full.maxRssBytes, r.sweeps.fullDrift.maxRssBytes) <= 1024 ** 3,
      detail: `full unchanged ${mb(full.maxRssBytes)}, full 1% drift ${mb(r.sweeps.fullDrift.maxRssBytes)} (an idle child: ${mb(full.baselineRssBytes)})`,
    });
  }
  if (reports.length >= 2) {
    const [small, large] = [reports[0]!, reports.at(-1)!];
    const between = `${n(small.size)} vs ${n(large.size)}`;
    const compare = (what: string, pairs: [string, number, number][]) => {
      const differ = pairs.filter(([, a, b]) => !same(a, b));
      all.push({
        text: `${what} the same at both sizes (${between})`,
        ok: differ.length === 0,
        detail: (differ.length ? differ : pairs).map(([k, a, b]) => `${k} ${n(a)} vs ${n(b)}`).join(', '),
      });
    };
    compare(
      'per-event rows',
      Object.keys(small.events).map((k) => [k, small.events[k as keyof typeof small.events].rows, large.events[k as keyof typeof large.events].rows]),
    );
    compare(
      'per-alert-run rows',
      Object.keys(small.alerts).map((k) => [k, small.alerts[k as keyof typeof small.alerts].rows, large.alerts[k as keyof typeof large.alerts].rows]),
    );
    compare(
      'per-query rows beyond 2 × returned',
      Object.keys(small.queries).map((k) => [
        k,
        queryOverhead(small.queries[k as keyof typeof small.queries]),
        queryOverhead(large.queries[k as keyof typeof large.queries]),
      ]),
    );
  }
  return all;
}

export function printGoals(reports: readonly SizeReport[], print: (text: string) => void): number {
  const list = goals(reports);
  print('\ngoals:');
  for (const g of list) print(`  ${verdict(g.ok).padEnd(7)} ${g.text}: ${g.detail}`);
  return list.filter((g) => !g.ok).length;
}
