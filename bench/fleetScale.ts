// Fleet scale: rows read from the findings table per event, per alert run, per sweep and per query, on a synthetic
// fleet of 100 subscriptions at two sizes, so the figures show whether each operation costs what it touches or
// grows with the fleet. Azurite (in this process), the fake ARM and Resource Graph, and a webhook receiver, all on
// 127.0.0.1. Rows are counted on the TableClient (bench/fleetScale/rowCounter.ts).
//   node dist/bench/fleetScale.js [--sizes=1000,10000]    (or BENCH_FLEET_SIZES; BENCH_FLEET_MINUTES bounds the run)
import { startLocalAzurite } from '../scripts/localAzurite.js';
import { startFakeArm } from '../test/helpers/fakeArm.js';
import { indexAzuriteByPartition } from './fleetScale/azuritePartitions.js';
import { childMain, isChild, scriptForChildren } from './fleetScale/child.js';
import { startLocalReceiver } from './fleetScale/localReceiver.js';
import { printGoals, printSize } from './fleetScale/report.js';
import { measureSize, type SizeReport } from './fleetScale/scenario.js';

// 10,000 is the largest that fits here (loading costs ~30 table requests per VM on Azurite); 1,000 is ten times
// smaller, as 10,000 is to the issue's 100,000, so the two show whether a figure follows the fleet.
const DEFAULT_SIZES = '1000,10000';

function sizes(): number[] {
  const arg = process.argv.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length);
  const list = (arg ?? process.env.BENCH_FLEET_SIZES ?? DEFAULT_SIZES).split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((s) => !Number.isInteger(s) || s < 100))
    throw new Error('sizes must be whole numbers of VMs, at least 100 (one per subscription), e.g. --sizes=1000,3000');
  return [...new Set(list)].sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const list = sizes();
  const minutes = Number(process.env.BENCH_FLEET_MINUTES ?? 45);
  // The bench stops by itself: past its time limit it prints what it has and exits (children die with it).
  const deadline = setTimeout(() => {
    console.error(`fleet-scale: stopped after ${minutes} minutes (BENCH_FLEET_MINUTES); the sizes measured so far are above`);
    process.exit(2);
  }, minutes * 60_000);
  deadline.unref();
  scriptForChildren();
  indexAzuriteByPartition();
  const [azurite, arm, receiver] = await Promise.all([startLocalAzurite(), startFakeArm(), startLocalReceiver()]);
  const started = performance.now();
  const reports: SizeReport[] = [];
  try {
    console.log(`fleet-scale: ${list.map((s) => s.toLocaleString('en')).join(' and ')} protected VMs, 100 subscriptions`);
    for (const size of list) {
      const report = await measureSize(size, {
        connectionString: azurite.connectionString,
        arm,
        receiverUrl: receiver.url,
        childTimeoutMs: minutes * 60_000,
        log: (l) => console.log(l),
      });
      reports.push(report);
      printSize(report, (t) => console.log(t));
    }
    const failed = printGoals(reports, (t) => console.log(t));
    console.log(`\nfleet-scale: ${((performance.now() - started) / 1000).toFixed(0)} s; ${failed === 0 ? 'every goal met' : `${failed} goal(s) NOT met`}`);
  } finally {
    await Promise.all([azurite.close(), arm.close(), receiver.close()]);
  }
}

if (isChild()) await childMain();
else await main();
