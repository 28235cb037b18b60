import { InvocationContext } from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import { vmChanged } from '../../functions/vmChanged.js';
import { deliverDueAlerts } from '../../core/alerts/deliverAlerts.js';
import { parseAlertDestinations } from '../../core/alerts/destinations.js';
import { parseEventDelivery } from '../../core/events/eventHints.js';
import { handleEvent } from '../../core/pipeline/handleEvent.js';
import { setServicesForTesting } from '../../core/runtime/services.js';
import { findingsQuery, fleetSummary, queryFindings } from '../../core/store/index.js';
import type { FakeArm } from '../../test/helpers/fakeArm.js';
import { azuriteRowCount } from './azuritePartitions.js';
import { runInChild, type ChildOutput, type ChildTask } from './child.js';
import { loadFleet, type FleetHandles, type Resource } from './fleet.js';
import { gridEvent } from './gridEvent.js';
import type { RowCount } from './rowCounter.js';
import { benchServices, hours } from './services.js';

const ACCOUNT = 'devstoreaccount1';

export interface Figure {
  rows: number;
  requests: number;
  scans: string[];
  /** Each request with the rows charged for it, when BENCH_FLEET_TRACE=1. */
  trace: string[];
  /** Rows the operation answered with (queries), intents due (alert runs), VMs marked (policy event). */
  returned?: number;
  armRequests?: number;
  note?: string;
}

export type SweepFigure = Figure & {
  evaluated: number;
  protectedVms: number;
  graphRequests: number;
  seconds: number;
  maxRssBytes: number;
  baselineRssBytes: number;
  peakHeapBytes: number;
  path?: string;
};

export interface SizeReport {
  size: number;
  protectedVms: number;
  tableRows: number;
  seconds: Record<string, number>;
  events: Record<'vmWrite' | 'diskWrite' | 'policyWrite' | 'itemWrite', Figure>;
  alerts: Record<'noneDue' | 'tenDue', Figure>;
  sweeps: Record<'fullUnchanged' | 'fullDrift' | 'incrementalUnchanged' | 'incrementalDrift', SweepFigure>;
  queries: Record<'subscription' | 'rule' | 'vmName' | 'summary', Figure>;
}

export interface Environment {
  connectionString: string;
  arm: FakeArm;
  receiverUrl: string;
  childTimeoutMs: number;
  log: (line: string) => void;
}

const figure = (count: RowCount, extra: Partial<Figure> = {}): Figure => ({
  rows: count.rows,
  requests: count.requests,
  scans: count.scans,
  trace: count.trace,
  ...extra,
});

/** The VM with its agent's status flipped (Ready ↔ Not Ready): a change the rules see, so the evaluation alerts. */
function flipAgent(vm: Resource): Resource {
  const copy = structuredClone(vm) as Resource & { properties: { instanceView: { vmAgent: { statuses: { displayStatus: string }[] } } } };
  const status = copy.properties.instanceView.vmAgent.statuses[0]!;
  status.displayStatus = status.displayStatus === 'Ready' ? 'Not Ready' : 'Ready';
  return copy;
}

/** The VM resized to one vCPU: a matrix-relevant drift (its fingerprint changes). */
function resized(vm: Resource): Resource {
  const copy = structuredClone(vm) as Resource & { properties: { hardwareProfile: { vmSize: string } } };
  copy.properties.hardwareProfile.vmSize = 'Standard_F1';
  return copy;
}

/**
 * Everything the bench measures at one fleet size, in an order that keeps each measurement clean: alerts before
 * anything creates intents, sweeps before events leave dirty marks, each drift fresh for the sweep that measures
 * it. The bench's clock moves an hour between phases (see benchClock).
 */
export async function measureSize(size: number, env: Environment): Promise<SizeReport> {
  const { arm, log } = env;
  const table = `fleetscale${size}`;
  let offset = -hours(48);
  const clock = () => new Date(Date.now() + offset);
  const seconds: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      seconds[phase] = (performance.now() - started) / 1000;
    }
  };

  // The fleet exists two days before the bench starts: its creation is not a recent change.
  arm.reset();
  arm.now = clock;
  const fleet: FleetHandles = loadFleet(arm, size);
  log(`  ${size.toLocaleString('en')} protected VMs over ${fleet.subscriptions.length} subscriptions in the fake ARM; loading the store...`);

  offset = 0;
  const child = (task: ChildTask, tableRows: number): Promise<ChildOutput> =>
    runInChild({ task, connectionString: env.connectionString, table, armUrl: arm.url, clockOffsetMs: offset, tableRows }, env.childTimeoutMs);
  // Loading: the first full sweep (every VM new) through applySweepWork → applyEvaluation, then the intents it
  // created are delivered (a stub fetch) — a fleet in steady state has its alerts behind it.
  const load = await timed('load', () => child('load', 0));
  const tableRows = azuriteRowCount(ACCOUNT, table);
  log(
    `  loaded in ${load.seconds.toFixed(0)} s: ${load.result.evaluated.toLocaleString('en')} VMs evaluated, ${load.result.alertsSettled?.toLocaleString('en')} alert intents delivered, ${tableRows.toLocaleString('en')} rows in the table`,
  );

  const { services, counter } = benchServices({ connectionString: env.connectionString, table, armUrl: arm.url, clock, tableRows });
  setServicesForTesting(services);
  const context = new InvocationContext({ functionName: 'vmChanged', logHandler: () => {} });
  const destinations = parseAlertDestinations(
    JSON.stringify([{ name: 'bench-receiver', type: 'webhook', url: env.receiverUrl, secret: 'bench-secret-0123456789' }]),
  );
  const measured = async (work: () => Promise<unknown>, extra: Partial<Figure> = {}) => {
    const armBefore = arm.requests.length;
    const { count } = await counter.measure(work);
    return figure(count, { armRequests: arm.requests.length - armBefore, ...extra });
  };

  // Alert runs.
  offset = hours(1);
  let due = 0;
  const noneDue = await measured(async () => (due = (await deliverDueAlerts(services.store, destinations, { now: clock() })).due));
  const alertsNoneDue = { ...noneDue, returned: due };
  let flipped = 0;
  for (const vm of fleet.alertVms) {
    if (flipped === 10) break;
    arm.put(flipAgent(vm));
    const { events } = await parseEventDelivery(gridEvent('Microsoft.Compute/virtualMachines/write', vm.id, clock()));
    const outcome = await handleEvent(services, events[0]!);
    if (outcome.action === 'evaluated' && outcome.results.some((r) => r.transitions.length > 0)) flipped += 1;
  }
  const tenDue = await measured(async () => (due = (await deliverDueAlerts(services.store, destinations, { now: clock() })).due));
  const alertsTenDue = { ...tenDue, returned: due };

  // Sweeps, each in a child of its own (its peak RSS is the sweep's).
  const sweepFigure = (out: ChildOutput): SweepFigure => ({
    ...figure(out.count),
    evaluated: out.result.evaluated,
    protectedVms: out.result.protectedVms,
    graphRequests: out.graphRequests,
    seconds: out.seconds,
    maxRssBytes: out.maxRssBytes,
    baselineRssBytes: out.baselineRssBytes,
    peakHeapBytes: out.peakHeapBytes,
    ...(out.result.path ? { path: out.result.path } : {}),
    note:
      Object.entries(out.result.reasons)
        .filter(([, n]) => n > 0)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ') || 'nothing re-evaluated',
  });
  offset = hours(2);
  const fullUnchanged = sweepFigure(await timed('full sweep, unchanged', () => child('full', tableRows)));
  offset = hours(3);
  const incrementalUnchanged = sweepFigure(await timed('incremental sweep, unchanged', () => child('incremental', tableRows)));
  offset = hours(4);
  arm.put(...fleet.driftVms[0].map(resized));
  const incrementalDrift = sweepFigure(await timed('incremental sweep, 1% drift', () => child('incremental', tableRows)));
  offset = hours(5);
  arm.put(...fleet.driftVms[1].map(resized));
  const fullDrift = sweepFigure(await timed('full sweep, 1% drift', () => child('full', tableRows)));

  // Events, through the Event Grid function itself.
  offset = hours(6);
  const event = (operation: string, id: string) => vmChanged(gridEvent(operation, id, clock()), context);
  const vm = fleet.eventVm;
  arm.put(flipAgent(vm));
  const vmWrite = await measured(() => event('Microsoft.Compute/virtualMachines/write', vm.id));
  const diskWrite = await measured(() => event('Microsoft.Compute/disks/write', fleet.eventDisk.id));
  const policyWrite = await measured(() => event('Microsoft.RecoveryServices/vaults/backupPolicies/write', fleet.eventPolicyId), {
    note: `${fleet.eventPolicyVms} VMs use the policy`,
  });
  const itemWrite = await measured(() => event('Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write', fleet.eventItemId));

  // Queries, every page, as the API and CLI page them (the default page size).
  const allPages = async (query: Record<string, string>) => {
    const parsed = findingsQuery.parse(query);
    let returned = 0;
    let token: string | null | undefined;
    do {
      const page = await queryFindings(services.store, parsed, token ? { continuationToken: token } : {});
      returned += page.items.length;
      token = page.continuationToken;
    } while (token);
    return returned;
  };
  const topRule = Object.entries((await fleetSummary(services.store)).findings.byRule).sort((a, b) => b[1] - a[1])[0]?.[0];
  let returned = 0;
  const subscription = await measured(async () => (returned = await allPages({ subscription: fleet.subscriptions[0]! })));
  subscription.returned = returned;
  const rule = await measured(async () => (returned = topRule ? await allPages({ rule: topRule }) : 0), { note: `rule ${topRule}` });
  rule.returned = returned;
  const vmName = await measured(async () => (returned = await allPages({ vm: vm.name })));
  vmName.returned = returned;
  const summary = await measured(async () => fleetSummary(services.store), { returned: 1 });

  setServicesForTesting(null);
  // Azurite keeps every table in memory: drop this size's before the next.
  await TableClient.fromConnectionString(env.connectionString, table, { allowInsecureConnection: true }).deleteTable();
  return {
    size,
    protectedVms: fleet.protectedVms,
    tableRows,
    seconds,
    events: { vmWrite, diskWrite, policyWrite, itemWrite },
    alerts: { noneDue: alertsNoneDue, tenDue: alertsTenDue },
    sweeps: { fullUnchanged, fullDrift, incrementalUnchanged, incrementalDrift },
    queries: { subscription, rule, vmName, summary },
  };
}
