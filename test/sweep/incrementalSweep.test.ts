import { beforeEach, describe, expect, it } from 'vitest';
import { ResourceGraph } from '../../core/inventory/arm/resourceGraph.js';
import type { Services } from '../../core/runtime/services.js';
import { runScheduledSweep } from '../../core/sweep/scheduledSweep.js';
import { markAfter, readSweepMark, writeSweepMark } from '../../core/sweep/sweepMark.js';
import { SweepFailure } from '../../core/sweep/sweepRun.js';
import { cleanInventory, DATA_DISK_ID, ITEM_ID, NIC_ID, PIP_ID, POLICY_ID, RG, VM_ID, type Json } from '../helpers/cleanVm.js';
import { withCountingStore } from '../helpers/countingStore.js';
import { useLiveEnvironment } from '../helpers/liveServices.js';

const env = useLiveEnvironment();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const OTHER_VM_ID = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-app-02`;

beforeEach(() => env.arm().reset());

/** One clock for the fake's change records, the sweeps and the evaluations. */
function clock(start = Date.parse('2026-11-26T09:00:00Z')) {
  let t = start;
  const now = () => new Date(t);
  env.arm().now = now;
  return { now, advance: (ms: number) => void (t += ms) };
}

/** The clean VM with a public IP on its NIC, and a second protected VM beside it (which no test changes). */
function fleet(): Json {
  const doc = cleanInventory();
  doc.networkInterfaces[0].properties.ipConfigurations[0].properties.publicIPAddress = { id: PIP_ID };
  doc.publicIpAddresses.push({
    id: PIP_ID,
    name: 'vm-app-01-pip',
    type: 'Microsoft.Network/publicIPAddresses',
    properties: { publicIPAllocationMethod: 'Static', ipConfiguration: { id: `${NIC_ID}/ipConfigurations/ipconfig1` } },
  });
  const other = structuredClone(doc.virtualMachines[0]);
  other.id = OTHER_VM_ID;
  other.name = 'vm-app-02';
  other.properties.storageProfile.dataDisks = [];
  other.properties.networkProfile.networkInterfaces = [];
  doc.virtualMachines.push(other);
  const item = structuredClone(doc.protectedItems[0]);
  item.id = `${ITEM_ID}-02`;
  item.properties.sourceResourceId = OTHER_VM_ID;
  item.properties.virtualMachineId = OTHER_VM_ID;
  doc.protectedItems.push(item);
  return doc;
}

function putInventory(doc: Json): void {
  for (const list of Object.values(doc)) env.arm().put(...(list as Record<string, unknown>[]));
}

function sweep(services: Services, options: { timeBudgetMs?: number } = {}, dispatch?: Parameters<typeof runScheduledSweep>[3]) {
  return runScheduledSweep(
    services,
    new ResourceGraph(services.arm),
    { subscriptions: [], maxAgeMs: DAY, timeBudgetMs: options.timeBudgetMs ?? 60_000, fullEveryMs: DAY },
    dispatch,
  );
}

const openRules = async (services: Services, vmId = VM_ID) =>
  [...(await services.store.readVm(vmId)).findings.values()]
    .filter((f) => f.state === 'open')
    .map((f) => f.ruleId)
    .sort();

/** A fleet put an hour before its first (full) sweep, so the incremental sweeps after it start from a quiet history. */
async function sweptFleet(edition = '2026-03') {
  const t = clock();
  const services = env.services({ edition, now: t.now });
  const doc = fleet();
  putInventory(doc);
  t.advance(60 * MINUTE);
  expect(await sweep(services)).toMatchObject({ path: 'full', why: 'no sweep mark yet', evaluated: 2, complete: true });
  t.advance(30 * MINUTE);
  return { t, services, doc };
}

describe('incremental sweep', () => {
  it('an unchanged fleet costs a few requests and rows, and evaluates nothing', async () => {
    const { services } = await sweptFleet();
    const counted = withCountingStore(services);
    const armBefore = env.arm().requests.length;
    const result = await sweep(counted.services);
    const graphAndArm = env.arm().requests.slice(armBefore);
    expect(result).toMatchObject({ path: 'incremental', protectedVms: 0, evaluated: 0, complete: true });
    // 1 change query; 1 mark read, 1 dirty-partition read, 1 mark write.
    expect(graphAndArm.map((r) => r.path.toLowerCase())).toEqual(['/providers/microsoft.resourcegraph/resources']);
    expect(counted.counts).toEqual({ requests: 3, rows: 1 });
    expect(graphAndArm.length + counted.counts.requests).toBeLessThanOrEqual(10);
  });

  describe('finds a change to each kind of resource, and reads only the VM it belongs to', () => {
    const changes: [string, (doc: Json) => Record<string, unknown>, string | null][] = [
      ['a VM resize', (doc) => ((doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_F1'), doc.virtualMachines[0]), 'compute.min-size'],
      [
        'a disk resize',
        (doc) => ((doc.disks.find((d: Json) => d.id === DATA_DISK_ID).properties.diskSizeGB = 8192), doc.disks.find((d: Json) => d.id === DATA_DISK_ID)),
        'storage.disk-size',
      ],
      [
        'a NIC change (behind a load balancer now)',
        (doc) => (
          (doc.networkInterfaces[0].properties.ipConfigurations[0].properties.loadBalancerBackendAddressPools = [
            { id: `${RG}/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/pool` },
          ]),
          doc.networkInterfaces[0]
        ),
        null,
      ],
      [
        'a public IP change (its NIC names the VM)',
        (doc) => ((doc.publicIpAddresses[0].properties.publicIPAllocationMethod = 'Dynamic'), doc.publicIpAddresses[0]),
        null,
      ],
      [
        'a backup policy change (the store links it to its VMs)',
        (doc) => ((doc.policies[0].properties.timeZone = 'Pacific Standard Time'), doc.policies[0]),
        'policy.daylight-saving',
      ],
      ['a protected item change', (doc) => ((doc.protectedItems[0].properties.protectionState = 'ProtectionStopped'), doc.protectedItems[0]), null],
    ];
    for (const [what, change, rule] of changes) {
      it(what, async () => {
        const { services, doc } = await sweptFleet('2019-02');
        const before = await openRules(services);
        const changed = change(doc);
        env.arm().put(changed);
        const result = await sweep(services);
        // The policy is shared by both VMs: both are read (and both drift).
        const expected = changed.id === POLICY_ID ? 2 : 1;
        expect(result).toMatchObject({ path: 'incremental', protectedVms: expected, evaluated: expected, reasons: { drift: expected }, complete: true });
        if (rule) expect(await openRules(services)).toEqual([...before, rule].sort());
      });
    }
  });

  it('a change inside the overlap is read again at no evaluation; a change older than the mark is not read', async () => {
    const { t, services, doc } = await sweptFleet();
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_F1';
    env.arm().put(doc.virtualMachines[0]);
    expect(await sweep(services)).toMatchObject({ path: 'incremental', evaluated: 1, reasons: { drift: 1 } });
    // The change was made within the overlap before that run's start: the next run reads it again; the VM matches.
    t.advance(30 * MINUTE);
    expect(await sweep(services)).toMatchObject({ path: 'incremental', protectedVms: 1, evaluated: 0 });
    // Now the change is older than the mark: the run after does not read it at all.
    expect(env.arm().changes.at(-1)!.timestamp < (await readSweepMark(services.store))!.since).toBe(true);
    t.advance(30 * MINUTE);
    expect(await sweep(services)).toMatchObject({ path: 'incremental', protectedVms: 0, evaluated: 0 });
  });

  it('a VM that lost its protected item is re-read (the store links the item to it)', async () => {
    const { services } = await sweptFleet();
    env.arm().remove(ITEM_ID);
    expect(await sweep(services)).toMatchObject({ path: 'incremental', protectedVms: 0, evaluated: 1, reasons: { 'lost-protection': 1 } });
    expect((await services.store.readVm(VM_ID)).summary).toMatchObject({ protectedItemId: '' });
  });

  it('handles dirty marks: a protected VM through its page, with the changed ones', async () => {
    const { services } = await sweptFleet();
    await services.store.markDirty(OTHER_VM_ID, { cause: 'an event', at: services.now().toISOString() });
    expect(await sweep(services)).toMatchObject({ path: 'incremental', protectedVms: 1, evaluated: 1, reasons: { dirty: 1 } });
    expect(await services.store.isDirty(OTHER_VM_ID)).toBe(false);
  });

  it('keeps the mark when a run fails, so the next run reads the same changes', async () => {
    const { services, doc } = await sweptFleet();
    const mark = await readSweepMark(services.store);
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_F1';
    env.arm().put(doc.virtualMachines[0]);
    await expect(sweep(services, {}, async () => Promise.reject(new Error('queue down')))).rejects.toBeInstanceOf(SweepFailure);
    expect(await readSweepMark(services.store)).toEqual(expect.objectContaining({ since: mark!.since }));
    expect(await sweep(services)).toMatchObject({ path: 'incremental', evaluated: 1, reasons: { drift: 1 } });
    expect((await readSweepMark(services.store))!.since > mark!.since).toBe(true);
  });
});

describe('when the timer runs a full sweep instead', () => {
  it('no mark, a mark older than the change history reaches, an edition switch, a full sweep due', async () => {
    const { t, services } = await sweptFleet();
    const mark = (await readSweepMark(services.store))!;
    await writeSweepMark(services.store, { ...mark, since: new Date(t.now().getTime() - 8 * DAY).toISOString() });
    expect(await sweep(services)).toMatchObject({ path: 'full', why: expect.stringMatching(/older than the change history/) });
    expect(await sweep(services)).toMatchObject({ path: 'incremental' });
    await writeSweepMark(services.store, { ...(await readSweepMark(services.store))!, edition: '2019-02' });
    expect(await sweep(services)).toMatchObject({ path: 'full', why: expect.stringMatching(/edition changed/) });
    t.advance(DAY);
    expect(await sweep(services)).toMatchObject({ path: 'full', why: expect.stringMatching(/due again/) });
    expect(markAfter('incremental', t.now(), '2026-03', '', null).lastFullAt).toBe(t.now().toISOString());
  });
});
