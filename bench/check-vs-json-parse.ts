// The whole `check` process over a 10,000-VM ARM list file, against a process that only JSON.parses the same
// file: the ratio of their wall times (median of several runs each, both as fresh `node` processes). Goal: <= 3.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticFleet } from './syntheticFleet.js';

const COUNT = Number(process.env.BENCH_VMS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = join(process.cwd(), 'bench', '.data');
mkdirSync(dir, { recursive: true });
function median(command: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, command, { stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0 && run.status !== 1) throw new Error(`${command.join(' ')} exited ${run.status}: ${run.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const cli = join(process.cwd(), 'dist', 'cli.js');
console.log(`${COUNT.toLocaleString('en')} VMs per list file, median of ${RUNS} runs each; goal: check / JSON.parse <= 3`);
// Two list files: VMs as a real `GET ?$expand=instanceView` returns them, and stripped to the fields the rules
// read (the worst case for the ratio: least to parse, as much to report).
for (const realistic of [true, false]) {
  const file = join(dir, `vms-${COUNT}-${realistic ? 'realistic' : 'minimal'}.json`);
  writeFileSync(file, JSON.stringify({ value: syntheticFleet(COUNT, { withResources: false, realistic }).virtualMachines }));
  const parseOnly = median(['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`]);
  const json = median([cli, 'check', file, '--format', 'json', '--fail-on', 'never']);
  const table = median([cli, 'check', file, '--format', 'table', '--fail-on', 'never']);
  console.log(`\n${realistic ? 'realistic' : 'minimal'} VMs: ${(statSync(file).size / 1e6).toFixed(1)} MB; node + JSON.parse only: ${parseOnly.toFixed(0)} ms`);
  console.log(`  check --format json:  ${json.toFixed(0)} ms, ratio ${(json / parseOnly).toFixed(2)} (${json / parseOnly <= 3 ? 'goal met' : 'goal NOT met'})`);
  console.log(`  check --format table: ${table.toFixed(0)} ms, ratio ${(table / parseOnly).toFixed(2)}`);
}
