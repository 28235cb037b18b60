import { beforeEach, describe, expect, it } from 'vitest';
import { ResourceGraph } from '../../core/inventory/arm/resourceGraph.js';
import { runSweep } from '../../core/sweep/runSweep.js';
import { cleanInventory, DATA_DISK_ID, ITEM_ID, POLICY_ID, RG, VM_ID, type Json } from '../helpers/cleanVm.js';
import { useLiveEnvironment } from '../helpers/liveServices.js';

const env = useLiveEnvironment();
const DAY = 86_400_000;

beforeEach(() => env.arm().reset());

function putInventory(doc: Json): void {
  for (const list of Object.values(doc)) env.arm().put(...(list as Record<string, unknown>[]));
}

/** A clock the test moves: sweeps and evaluations see the same time. */
function clock(start = Date.parse('2026-11-26T10:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

async function sweep(services: ReturnType<typeof env.services>, options: { maxAgeMs?: number; timeBudgetMs?: number } = {}) {
  return runSweep(services, new ResourceGraph(services.arm), {
    subscriptions: [],
    maxAgeMs: options.maxAgeMs ?? DAY,
    timeBudgetMs: options.timeBudgetMs ?? 60_000,
  });
}

const openRules = async (services: ReturnType<typeof env.services>) =>
  [...(await services.store.readVm(VM_ID)).findings.values()]
    .filter((f) => f.state === 'open')
    .map((f) => f.ruleId)
    .sort();

describe('drift sweep', () => {
  it('evaluates protected VMs it has not seen, then writes nothing for an unchanged fleet', async () => {
    const t = clock();
    const services = env.services({ now: t.now });
    putInventory(cleanInventory());
    const first = await sweep(services);
    expect(first).toMatchObject({ path: 'full', protectedVms: 1, evaluated: 1, reasons: { new: 1 }, complete: true, skippedRows: [] });
    const before = await services.store.readVm(VM_ID);
    t.advance(60_000);
    const second = await sweep(services);
    expect(second).toMatchObject({ evaluated: 0, unchanged: 1 });
    const after = await services.store.readVm(VM_ID);
    expect(after.summary!.etag).toBe(before.summary!.etag);
    expect(await services.store.alerts('all')).toHaveLength(0);
  });

  describe('each matrix-relevant drift produces exactly the new finding (edition 2019-02)', () => {
    const drifts: [string, (doc: Json) => void, string][] = [
      [
        'a data disk added beyond 16',
        (doc) => {
          for (let lun = 1; lun <= 16; lun++) {
            const id = `${RG}/providers/Microsoft.Compute/disks/extra-${lun}`;
            doc.virtualMachines[0].properties.storageProfile.dataDisks.push({
              lun,
              name: `extra-${lun}`,
              diskSizeGB: 64,
              managedDisk: { id, storageAccountType: 'Premium_LRS' },
            });
            doc.disks.push({
              id,
              name: `extra-${lun}`,
              type: 'Microsoft.Compute/disks',
              managedBy: VM_ID,
              sku: { name: 'Premium_LRS' },
              properties: { diskSizeGB: 64 },
            });
          }
        },
        'storage.data-disk-count',
      ],
      ['a disk grown past 4095 GB', (doc) => void (doc.disks.find((d: Json) => d.id === DATA_DISK_ID).properties.diskSizeGB = 8192), 'storage.disk-size'],
      [
        'a second NIC',
        (doc) => {
          const id = `${RG}/providers/Microsoft.Network/networkInterfaces/second`;
          doc.virtualMachines[0].properties.networkProfile.networkInterfaces.push({ id });
          doc.networkInterfaces.push({
            id,
            name: 'second',
            type: 'Microsoft.Network/networkInterfaces',
            properties: { ipConfigurations: [{ name: 'ip', properties: {} }], virtualMachine: { id: VM_ID } },
          });
        },
        'network.special-config',
      ],
      [
        'a Write Accelerator disk',
        (doc) => void (doc.virtualMachines[0].properties.storageProfile.dataDisks[0].writeAcceleratorEnabled = true),
        'storage.write-accelerator',
      ],
      ['a resize to a 1-vCPU size', (doc) => void (doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_F1'), 'compute.min-size'],
      ['a move into a zone', (doc) => void (doc.virtualMachines[0].zones = ['2']), 'compute.availability-zone'],
    ];
    for (const [what, change, rule] of drifts) {
      it(what, async () => {
        const t = clock();
        const services = env.services({ edition: '2019-02', now: t.now });
        const doc = cleanInventory();
        for (const disk of doc.disks) disk.managedBy = VM_ID;
        putInventory(doc);
        await sweep(services);
        expect(await openRules(services)).toEqual([]);
        change(doc);
        putInventory(doc);
        t.advance(60_000);
        const result = await sweep(services);
        expect(result).toMatchObject({ evaluated: 1, reasons: { drift: 1 } });
        expect(await openRules(services)).toEqual([rule]);
      });
    }
  });

  it('re-evaluates a VM an event marked dirty, and clears the mark', async () => {
    const services = env.services();
    putInventory(cleanInventory());
    await sweep(services);
    await services.store.markDirty(VM_ID, { cause: DATA_DISK_ID, at: new Date().toISOString() });
    expect(await sweep(services)).toMatchObject({ evaluated: 1, reasons: { dirty: 1 } });
    expect(await services.store.isDirty(VM_ID)).toBe(false);
    expect(await sweep(services)).toMatchObject({ evaluated: 0 });
  });

  it("expands a changed policy's mark into the VMs linked to it, then clears it", async () => {
    const services = env.services();
    putInventory(cleanInventory());
    await sweep(services);
    // Negative control: no mark, nothing to do.
    expect(await sweep(services)).toMatchObject({ evaluated: 0 });
    await services.store.markPolicyDirty(POLICY_ID.toUpperCase(), { eventId: 'e-policy', at: new Date().toISOString() });
    expect(await sweep(services)).toMatchObject({ evaluated: 1, reasons: { dirty: 1 } });
    expect((await services.store.dirtyMarks()).size).toBe(0);
    expect(await sweep(services)).toMatchObject({ evaluated: 0 });
  });

  it('re-evaluates after the maximum age even without drift', async () => {
    const t = clock();
    const services = env.services({ now: t.now });
    putInventory(cleanInventory());
    await sweep(services);
    t.advance(DAY + 1);
    expect(await sweep(services)).toMatchObject({ evaluated: 1, reasons: { stale: 1 } });
  });

  it('a VM that lost protection is re-read: its policy rules become notApplicable', async () => {
    const services = env.services();
    const doc = cleanInventory();
    doc.policies[0].properties.timeZone = 'Pacific Standard Time';
    putInventory(doc);
    await sweep(services);
    expect(await openRules(services)).toEqual(['policy.daylight-saving']);
    env.arm().remove(ITEM_ID);
    expect(await sweep(services)).toMatchObject({ protectedVms: 0, reasons: { 'lost-protection': 1 } });
    expect(await openRules(services)).toEqual([]);
    expect((await services.store.readVm(VM_ID)).findings.get('policy.daylight-saving')).toMatchObject({ state: 'resolved', resolvedReason: 'not-applicable' });
  });

  it('a VM that gained protection is evaluated with its policy', async () => {
    const services = env.services();
    const doc = cleanInventory();
    doc.policies[0].properties.timeZone = 'Pacific Standard Time';
    const item = doc.protectedItems[0];
    doc.protectedItems = [];
    putInventory(doc);
    // Known to the store as unprotected (an event evaluated it), not yet in the protected fleet.
    await services.store.applyEvaluation((await import('../helpers/evaluateDocument.js')).evaluateDocument(doc, '2026-03')[0]!, {
      location: 'westeurope',
      observedAt: new Date(0).toISOString(),
      trigger: { kind: 'cli' },
      now: new Date(0).toISOString(),
      links: { protectedItemId: null, policyId: null },
    });
    env.arm().put(item);
    expect(await sweep(services)).toMatchObject({ evaluated: 1, reasons: { 'protection-changed': 1 } });
    expect(await openRules(services)).toEqual(['policy.daylight-saving']);
  });

  it('a dirty mark on an unprotected VM (a disk of it changed) is handled by re-reading it from ARM', async () => {
    const services = env.services();
    const doc = cleanInventory();
    doc.protectedItems = [];
    doc.disks.find((d: Json) => d.id === DATA_DISK_ID).sku.name = 'PremiumV2_LRS';
    putInventory(doc);
    const before = cleanInventory();
    before.protectedItems = [];
    await services.store.applyEvaluation((await import('../helpers/evaluateDocument.js')).evaluateDocument(before, '2026-03')[0]!, {
      location: 'westeurope',
      observedAt: new Date(0).toISOString(),
      trigger: { kind: 'cli' },
      now: new Date(0).toISOString(),
    });
    await services.store.markDirty(VM_ID, { cause: DATA_DISK_ID, at: new Date().toISOString() });
    expect(await sweep(services)).toMatchObject({ protectedVms: 0, reasons: { dirty: 1 } });
    expect(await openRules(services)).toEqual(['policy.enhanced-required']);
    expect(await services.store.isDirty(VM_ID)).toBe(false);
  });

  it('never overwrites a fresher evaluation an event stored while the sweep ran', async () => {
    const t = clock();
    const services = env.services({ now: t.now });
    const doc = cleanInventory();
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
    putInventory(doc);
    // The event stored a read newer than the sweep's own (the sweep reads at 10:00; the event read at 10:05).
    await services.store.applyEvaluation((await import('../helpers/evaluateDocument.js')).evaluateDocument(cleanInventory(), '2026-03')[0]!, {
      location: 'westeurope',
      observedAt: '2026-11-26T10:05:00.000Z',
      trigger: { kind: 'event' },
      now: '2026-11-26T10:05:00.000Z',
    });
    await sweep(services);
    expect(await openRules(services)).toEqual([]);
  });

  it('a sweep cut off by its time budget resumes with the VMs it did not reach', async () => {
    const t = clock();
    const services = env.services({ now: t.now });
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const doc = cleanInventory();
      const vm = doc.virtualMachines[0];
      vm.id = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-batch-${n}`;
      vm.name = `vm-batch-${n}`;
      doc.protectedItems[0].id = `${ITEM_ID}-${n}`;
      doc.protectedItems[0].properties.sourceResourceId = vm.id;
      ids.push(vm.id);
      putInventory(doc);
    }
    // Every evaluation takes 1 s of the clock; the budget allows about two.
    const slow = { ...services, now: () => (t.advance(500), t.now()) };
    const first = await runSweep(slow, new ResourceGraph(services.arm), { subscriptions: [], maxAgeMs: DAY, timeBudgetMs: 2_500 });
    expect(first.complete).toBe(false);
    expect(first.evaluated).toBeGreaterThan(0);
    expect(first.evaluated).toBeLessThan(ids.length + 1);
    const second = await runSweep(services, new ResourceGraph(services.arm), { subscriptions: [], maxAgeMs: DAY, timeBudgetMs: 60_000 });
    expect(second.complete).toBe(true);
    expect(first.evaluated + second.evaluated).toBe(ids.length);
    expect(await sweep(services)).toMatchObject({ evaluated: 0 });
  });

  it('survives 429 storms from Resource Graph and ARM', async () => {
    const services = env.services();
    putInventory(cleanInventory());
    env.arm().fail('/providers/microsoft.resourcegraph/resources', { status: 429, headers: { 'retry-after': '0' }, times: 2 });
    env.arm().fail('/providers/microsoft.compute/virtualmachines', { status: 429, headers: { 'retry-after': '0' }, times: 2 });
    expect(await sweep(services)).toMatchObject({ evaluated: 1, complete: true });
    env.arm().clearFaults();
  });

  it('waits for the Resource Graph quota instead of being throttled', async () => {
    const services = env.services();
    putInventory(cleanInventory());
    env.arm().limits.graphQueries = 2;
    env.arm().limits.graphWindowMs = 1000;
    const throttledBefore = env.arm().throttled.graph;
    try {
      expect(await sweep(services)).toMatchObject({ evaluated: 1 });
      expect(env.arm().throttled.graph).toBe(throttledBefore);
    } finally {
      env.arm().limits.graphQueries = 10_000;
      env.arm().limits.graphWindowMs = 5000;
    }
  });
});
