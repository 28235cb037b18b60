// The whole `check` process over a 10,000-VM ARM list file, against a process that only JSON.parses the same
// file: the ratio of their wall times (median of several runs each, both as fresh `node` processes). Goal: <= 3.
// It also prints the floor any `check` printing this report pays before its checks cost anything: starting node,
// loading the CLI, parsing the input, serialising and writing the report (measured as processes doing only that).
// The ratio of their CPU times (user + system) is printed too: on a shared, loaded machine wall time mostly
// measures the neighbours, CPU time what the process itself spent, on every thread (V8 compiles hot code and
// collects garbage on background threads, which the wall time of an idle 2-core machine partly hides).
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticFleet } from './syntheticFleet.js';

const COUNT = Number(process.env.BENCH_VMS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = join(process.cwd(), 'bench', '.data');
mkdirSync(dir, { recursive: true });
/** Reported by each child as it exits, so CPU time is measured without a platform-specific `time`. */
const CPU_PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\ncpu-us:'+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

interface Timing {
  wall: number;
  cpu: number;
}

/** One run of `command` as a fresh `node` process. */
function run(command: string[]): Timing {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', CPU_PROBE, ...command], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0 && child.status !== 1) throw new Error(`${command.join(' ')} exited ${child.status}: ${child.stderr}`);
  return { wall, cpu: Number(/cpu-us:(\d+)/.exec(String(child.stderr))?.[1] ?? Number.NaN) / 1000 };
}

/**
 * The median of RUNS runs of each command, the commands taking turns (a, b, c, a, b, c, ...): on a machine whose load
 * changes during the benchmark, both sides of a ratio see the same load rather than one side the quiet minute.
 */
function medians(commands: string[][]): Timing[] {
  const runs: Timing[][] = commands.map(() => []);
  for (let i = 0; i < RUNS; i++)
    commands.forEach((command, c) => {
      runs[c]!.push(run(command));
    });
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return runs.map((timings) => ({ wall: mid(timings.map((t) => t.wall)), cpu: mid(timings.map((t) => t.cpu)) }));
}

const line = (label: string, t: Timing, base: Timing, goal: boolean) =>
  `  ${label}: ${t.wall.toFixed(0)} ms, ratio ${(t.wall / base.wall).toFixed(2)}${goal ? ` (${t.wall / base.wall <= 3 ? 'goal met' : 'goal NOT met'})` : ''}; CPU ${t.cpu.toFixed(0)} ms, ratio ${(t.cpu / base.cpu).toFixed(2)}`;

const cli = join(process.cwd(), 'dist', 'cli.js');
console.log(`${COUNT.toLocaleString('en')} VMs per list file, median of ${RUNS} runs each; goal: check / JSON.parse <= 3`);
// Two list files: VMs as a real `GET ?$expand=instanceView` returns them, and stripped to the fields the rules
// read (the worst case for the ratio: least to parse, as much to report).
for (const realistic of [true, false]) {
  const file = join(dir, `vms-${COUNT}-${realistic ? 'realistic' : 'minimal'}.json`);
  writeFileSync(file, JSON.stringify({ value: syntheticFleet(COUNT, { withResources: false, realistic }).virtualMachines }));
  // The report itself, once, for the floor below.
  const report = join(dir, `report-${COUNT}-${realistic ? 'realistic' : 'minimal'}.json`);
  run([cli, 'check', file, '--format', 'json', '--fail-on', 'never', '--output', report]);
  const read = (path: string) => `JSON.parse(require('fs').readFileSync(${JSON.stringify(path)}, 'utf8'))`;
  const [parseOnly, json, errorsOnly, table, nodeStart, cliLoad, reportParsed, reportWritten] = medians([
    ['-e', read(file)],
    [cli, 'check', file, '--format', 'json', '--fail-on', 'never'],
    // A CI gate prints errors only: every rule still runs, and the hidden findings still count.
    [cli, 'check', file, '--format', 'json', '--fail-on', 'never', '--min-severity', 'error'],
    [cli, 'check', file, '--format', 'table', '--fail-on', 'never'],
    // The floor: what any process that reads this input and prints this report pays, whatever its checks cost.
    ['-e', '0'],
    [cli, 'check', '--help'],
    ['-e', `${read(file)}; ${read(report)}`],
    ['-e', `${read(file)}; require('fs').writeSync(1, JSON.stringify(${read(report)}))`],
  ]) as Timing[] as [Timing, Timing, Timing, Timing, Timing, Timing, Timing, Timing];
  console.log(
    `\n${realistic ? 'realistic' : 'minimal'} VMs: ${(statSync(file).size / 1e6).toFixed(1)} MB; node + JSON.parse only: ${parseOnly.wall.toFixed(0)} ms (CPU ${parseOnly.cpu.toFixed(0)} ms)`,
  );
  console.log(line('check --format json', json, parseOnly, true));
  console.log(line('check --format json --min-severity error', errorsOnly, parseOnly, true));
  console.log(line('check --format table', table, parseOnly, false));
  const load = Math.max(0, cliLoad.wall - nodeStart.wall);
  const serialise = Math.max(0, reportWritten.wall - reportParsed.wall);
  const floor = parseOnly.wall + load + serialise;
  console.log(
    `  floor, before any check runs: JSON.parse only ${parseOnly.wall.toFixed(0)} ms + loading the CLI ${load.toFixed(0)} ms (check --help ${cliLoad.wall.toFixed(0)} ms − node -e 0 ${nodeStart.wall.toFixed(0)} ms) + serialising and writing the ${(statSync(report).size / 1e6).toFixed(1)} MB report ${serialise.toFixed(0)} ms = ${floor.toFixed(0)} ms, ratio ${(floor / parseOnly.wall).toFixed(2)}; left for validating, joining, evaluating and reporting ${COUNT.toLocaleString('en')} VMs within the goal: ${(3 * parseOnly.wall - floor).toFixed(0)} ms (check spends ${(json.wall - floor).toFixed(0)} ms)`,
  );
}
