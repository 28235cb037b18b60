// The drift sweep over 10,000 protected VMs on the fake Resource Graph and ARM (loopback; both enforce their
// limits: Resource Graph's per-user quota, ARM's per-subscription read bucket), with Azurite as the store:
// requests made and wall time for an unchanged fleet and for 1% drift, against a naive sweep that GETs every VM,
// disk and NIC. Goals: at most 50 requests and under 60 s, both cases.
import { getEdition } from '../core/matrix/editions/index.js';
import { ResourceGraph } from '../core/inventory/arm/resourceGraph.js';
import { servicesFrom } from '../core/runtime/services.js';
import { runSweep } from '../core/sweep/runSweep.js';
import { startLocalAzurite } from '../scripts/localAzurite.js';
import { startFakeArm } from '../test/helpers/fakeArm.js';
import { syntheticFleet } from './syntheticFleet.js';

const COUNT = Number(process.env.BENCH_VMS ?? 10_000);
const [azurite, arm] = await Promise.all([startLocalAzurite(), startFakeArm()]);
try {
  const fleet = syntheticFleet(COUNT, { withResources: true, protectedShare: 1 });
  for (const list of Object.values(fleet)) arm.put(...(list as Record<string, unknown>[]));
  const services = servicesFrom(
    {
      storage: { kind: 'connectionString', connectionString: azurite.connectionString },
      findingsTable: 'benchsweep',
      edition: getEdition('2026-03'),
      armEndpoint: 'https://management.azure.com',
      sweep: { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 600_000 },
    },
    { credential: async () => arm.credential, httpClient: arm.httpClient },
  );
  const run = async (label: string) => {
    const before = arm.requests.length;
    const started = performance.now();
    const result = await runSweep(services, new ResourceGraph(services.arm), services.settings.sweep);
    const seconds = (performance.now() - started) / 1000;
    const requests = arm.requests.length - before;
    console.log(
      `${label}: ${result.protectedVms.toLocaleString('en')} protected VMs, ${result.evaluated} re-evaluated, ${requests} requests, ${seconds.toFixed(1)} s${label === 'first sweep (empty store)' ? '' : ` (goal <= 50 requests and < 60 s: ${requests <= 50 && seconds < 60 ? 'met' : 'NOT met'})`}`,
    );
    return requests;
  };
  const naive = fleet.virtualMachines.length + fleet.disks.length + fleet.networkInterfaces.length;
  await run('first sweep (empty store)');
  const unchanged = await run('unchanged fleet');
  // 1% drift: a hundred VMs resized to a 1-vCPU size.
  const drifted = fleet.virtualMachines
    .filter((_, i) => i % 100 === 0)
    .map((vm) => {
      const copy = structuredClone(vm) as { properties: { hardwareProfile: { vmSize: string } } };
      copy.properties.hardwareProfile.vmSize = 'Standard_F1';
      return copy as unknown as Record<string, unknown>;
    });
  arm.put(...drifted);
  const drift = await run('1% drift');
  console.log(
    `naive sweep (GET every VM, disk and NIC): ${naive.toLocaleString('en')} requests; ratio ours/naive: unchanged ${(unchanged / naive).toFixed(4)}, 1% drift ${(drift / naive).toFixed(4)}`,
  );
  console.log(`throttled by the fakes: Resource Graph ${arm.throttled.graph}, ARM ${arm.throttled.arm}`);
} finally {
  await Promise.all([azurite.close(), arm.close()]);
}
