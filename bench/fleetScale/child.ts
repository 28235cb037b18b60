import { fork } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { deliverDueAlerts } from '../../core/alerts/deliverAlerts.js';
import { parseAlertDestinations } from '../../core/alerts/destinations.js';
import { ResourceGraph } from '../../core/inventory/arm/resourceGraph.js';
import { runIncrementalSweep } from '../../core/sweep/incrementalSweep.js';
import { runSweep } from '../../core/sweep/runSweep.js';
import { readSweepMark } from '../../core/sweep/sweepMark.js';
import { applySweepWork } from '../../core/sweep/applySweepWork.js';
import type { RowCount } from './rowCounter.js';
import { benchClock, benchServices } from './services.js';

/**
 * Sweeps run in a child process of their own: its peak RSS (`maxRSS`) is then the sweep's, not the bench's (which
 * holds the fake ARM's fleet and, in the parent, Azurite's whole table). The child reaches Azurite and the fake ARM
 * of the parent over 127.0.0.1 and counts its own rows.
 */
export type ChildTask = 'load' | 'full' | 'incremental';

export interface ChildInput {
  task: ChildTask;
  connectionString: string;
  table: string;
  armUrl: string;
  clockOffsetMs: number;
  tableRows: number;
}

export interface ChildOutput {
  count: RowCount;
  graphRequests: number;
  seconds: number;
  /** Peak resident set of the child process over its life (KiB → bytes), and what it was before the sweep started. */
  maxRssBytes: number;
  baselineRssBytes: number;
  /** The JS heap's peak, sampled every 50 ms: what the sweep itself allocates, without Node's own baseline. */
  peakHeapBytes: number;
  result: {
    path?: string;
    protectedVms: number;
    evaluated: number;
    reasons: Record<string, number>;
    complete: boolean;
    skipped: number;
    alertsSettled?: number;
  };
}

const CHILD_FLAG = '--fleet-scale-child';
export const isChild = () => process.argv.includes(CHILD_FLAG);

let childScript: string | null = null;

/**
 * Children run a private copy of this bench's bundle, beside it (so its external imports resolve the same way): a
 * build that rewrites dist/bench while the bench runs (`npm run bench` in another shell) must not change them.
 */
export function scriptForChildren(): string {
  if (childScript === null) {
    const script = process.argv[1]!;
    childScript = script.replace(/\.js$/, `.child-${process.pid}.js`);
    copyFileSync(script, childScript);
    process.on('exit', () => rmSync(childScript!, { force: true }));
    // Stopped by hand: still remove the copy (children end with us: their IPC channel closes).
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  }
  return childScript;
}

/** Runs one task in a fresh child (this same bench script), killed if it outlives `timeoutMs`. */
export function runInChild(input: ChildInput, timeoutMs: number): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = fork(scriptForChildren(), [CHILD_FLAG], {
      env: { ...process.env, FLEET_SCALE_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    // The bundle imports @azure/functions, which warns on every start outside the Functions host: once is enough.
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk
        .toString()
        .split('\n')
        .filter((l) => l !== '' && !/^WARNING: .*@azure\/functions/.test(l));
      if (text.length > 0) process.stderr.write(`${text.join('\n')}\n`);
    });
    let output: ChildOutput | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (message) => (output = message as ChildOutput));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (output) resolve(output);
      else
        reject(
          new Error(
            `the ${input.task} child ended without a result (${signal ? `killed by ${signal}, after ${timeoutMs / 1000} s at most` : `exit code ${code}`})`,
          ),
        );
    });
  });
}

/** Settles the loading's alert intents the way a delivery run does (claim, send, save), with a fetch that answers 200. */
async function settleAlerts(store: Parameters<typeof deliverDueAlerts>[0], now: () => Date): Promise<number> {
  const destinations = parseAlertDestinations(
    JSON.stringify([{ name: 'bench', type: 'webhook', url: 'http://127.0.0.1:9/not-contacted', secret: 'bench-secret-0123456789' }]),
  );
  const accepted: typeof fetch = async () => new Response(null, { status: 200 });
  let settled = 0;
  for (;;) {
    const report = await deliverDueAlerts(store, destinations, { now: now(), fetch: accepted, maxPerRun: 1000, runBudgetMs: 10 * 60_000 });
    settled += report.delivered;
    if (report.due === 0) return settled;
  }
}

export async function childMain(): Promise<void> {
  // The parent hosts Azurite and the fake ARM: without it there is nothing left to measure.
  process.on('disconnect', () => process.exit(1));
  const input = JSON.parse(process.env.FLEET_SCALE_CHILD ?? '{}') as ChildInput;
  const { services, counter } = benchServices({ ...input, clock: benchClock(input.clockOffsetMs) });
  if (input.task === 'load') counter.trace = false; // hundreds of thousands of requests, none of them measured
  const graph = new ResourceGraph(services.arm);
  const baselineRssBytes = process.memoryUsage().rss;
  let peakHeapBytes = 0;
  const sampler = setInterval(() => (peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed)), 50);
  const started = performance.now();
  const { result, count } = await counter.measure(async () => {
    if (input.task === 'incremental') {
      const mark = await readSweepMark(services.store);
      if (!mark) throw new Error('no sweep mark: the incremental sweep needs a full sweep first');
      return { ...(await runIncrementalSweep(services, graph, services.settings.sweep, mark)) };
    }
    if (input.task === 'full') return { ...(await runSweep(services, graph, services.settings.sweep)) };
    // Loading is the first full sweep: the sweep's own default work (applySweepWork), with a progress line.
    let done = 0;
    const progress = async (work: Parameters<typeof applySweepWork>[1]) => {
      await applySweepWork(services, work);
      if (++done % 2000 === 0) console.log(`    ${done.toLocaleString('en')} VMs stored (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    };
    const sweep = await runSweep(services, graph, services.settings.sweep, progress);
    return { ...sweep, alertsSettled: await settleAlerts(services.store, services.now) };
  });
  clearInterval(sampler);
  const output: ChildOutput = {
    count,
    peakHeapBytes,
    graphRequests: graph.requests,
    seconds: (performance.now() - started) / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineRssBytes,
    result: {
      path: result.path,
      protectedVms: result.protectedVms,
      evaluated: result.evaluated,
      reasons: result.reasons,
      complete: result.complete,
      skipped: result.skippedRows.length,
      ...('alertsSettled' in result ? { alertsSettled: result.alertsSettled } : {}),
    },
  };
  process.send!(output, undefined, {}, () => process.exit(0));
}
