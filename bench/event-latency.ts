// Event-to-stored latency of the vmChanged function over 1,000 events (Azurite and a fake ARM on loopback, the real
// SDK clients), and store throughput: one transaction per VM (applyEvaluation) against one upsert per entity.
import { InvocationContext } from '@azure/functions';
import { TableClient, type TableEntity } from '@azure/data-tables';
import { vmChanged } from '../functions/vmChanged.js';
import { getEdition } from '../shared/matrix/editions/index.js';
import { servicesFrom, setServicesForTesting } from '../shared/runtime/services.js';
import { planEvaluation } from '../shared/store/planLifecycle.js';
import { startLocalAzurite } from '../scripts/localAzurite.js';
import { startFakeArm } from '../test/helpers/fakeArm.js';
import { armEvent } from '../test/helpers/liveServices.js';
import { syntheticFleet } from './syntheticFleet.js';
import { parseInventoryDocument } from '../shared/inventory/parseInventoryDocument.js';
import { snapshotsOf } from '../shared/inventory/snapshotsOf.js';
import { bundledSizeCatalogue } from '../shared/inventory/sizeCatalogue.js';
import { evaluate } from '../shared/matrix/evaluate.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const VMS = 100;

const [azurite, arm] = await Promise.all([startLocalAzurite(), startFakeArm()]);
try {
  const fleet = syntheticFleet(VMS, { withResources: true });
  for (const list of Object.values(fleet)) arm.put(...(list as Record<string, unknown>[]));
  const services = servicesFrom(
    { storage: { kind: 'connectionString', connectionString: azurite.connectionString }, findingsTable: 'benchlatency', edition: getEdition('2026-03'), armEndpoint: 'https://management.azure.com', sweep: { subscriptions: [], maxAgeMs: 86_400_000, timeBudgetMs: 240_000 } },
    { credential: async () => arm.credential, httpClient: arm.httpClient },
  );
  setServicesForTesting(services);
  const context = new InvocationContext({ functionName: 'vmChanged', logHandler: () => {} });
  const vmIds = fleet.virtualMachines.map((vm) => (vm as { id: string }).id);
  await vmChanged(armEvent('ResourceWriteSuccess', vmIds[0]!, 'Microsoft.Compute/virtualMachines/write'), context); // warm-up: table, SKUs, JIT

  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const event = armEvent('ResourceWriteSuccess', vmIds[i % vmIds.length]!, 'Microsoft.Compute/virtualMachines/write');
    const t = performance.now();
    await vmChanged(event, context);
    latencies.push(performance.now() - t);
  }
  const total = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  console.log(`${EVENTS} events over ${VMS} VMs, one at a time: p50 ${pct(50).toFixed(1)} ms, p90 ${pct(90).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; ${(EVENTS / (total / 1000)).toFixed(0)} events/s (goal p99 < 100 ms: ${pct(99) < 100 ? 'met' : 'NOT met'})`);
  console.log(`ARM requests per event: ${(arm.requests.length / (EVENTS + 1)).toFixed(1)}`);

  // Store throughput: the same planned rows, written as one transaction per VM or as one upsert per entity.
  const parsed = parseInventoryDocument(syntheticFleet(300, { withResources: true }), 'bench');
  const plans = snapshotsOf(parsed.inventory, bundledSizeCatalogue()).map((s) => planEvaluation({ summary: null, findings: new Map(), outbox: [] }, { evaluation: evaluate(s, getEdition('2026-03')), location: s.location, observedAt: 'x', trigger: { kind: 'sweep' }, now: 'x' }));
  const rows = plans.reduce((n, p) => n + 1 + p.findings.length, 0);
  const table = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  const transactional = table('benchtransactions');
  const perEntity = table('benchupserts');
  await Promise.all([transactional.createTable(), perEntity.createTable()]);
  const entities = (p: (typeof plans)[number]) => [p.summary, ...p.findings] as unknown as TableEntity[];
  let t = performance.now();
  for (const p of plans) await transactional.submitTransaction(entities(p).map((e) => ['upsert', e, 'Replace']));
  const transactionMs = performance.now() - t;
  t = performance.now();
  for (const p of plans) for (const e of entities(p)) await perEntity.upsertEntity(e, 'Replace');
  const upsertMs = performance.now() - t;
  console.log(`store: ${plans.length} VMs, ${rows} rows; one transaction per VM ${transactionMs.toFixed(0)} ms, one upsert per entity ${upsertMs.toFixed(0)} ms: transactions are ${(upsertMs / transactionMs).toFixed(1)}x faster (and atomic)`);
} finally {
  setServicesForTesting(null);
  await Promise.all([azurite.close(), arm.close()]);
}
