import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeInventories } from '../../core/inventory/mergeInventories.js';
import { parseInventoryDocument } from '../../core/inventory/parseInventoryDocument.js';
import { bundledSizeCatalogue } from '../../core/inventory/sizeCatalogue.js';
import { snapshotsOf } from '../../core/snapshot/snapshotsOf.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { evaluate } from '../../core/matrix/evaluate.js';
import { vmSnapshot } from '../../core/snapshot/vmSnapshot.js';
import { cleanInventory, VM_ID } from '../helpers/cleanVm.js';
import { fixtureBody } from '../helpers/fixtures.js';

const vm = () => cleanInventory().virtualMachines[0];

describe('accepted forms', () => {
  it('a VM, an array of VMs, an ARM list response, an inventory document, a REST example', () => {
    const forms = [vm(), [vm()], { value: [vm()], nextLink: null }, { virtualMachines: [vm()] }, { parameters: {}, responses: { '200': { body: vm() } } }];
    for (const form of forms) {
      const parsed = parseInventoryDocument(form, 'f.json');
      expect(parsed.errors).toEqual([]);
      expect(parsed.inventory.virtualMachines.map((v) => v.id)).toEqual([VM_ID]);
    }
  });
  it('a Uniform scale set instance is a VM too', () => {
    const instance = {
      ...vm(),
      id: `${VM_ID.replace('virtualMachines/vm-app-01', 'virtualMachineScaleSets/ss/virtualMachines/0')}`,
      type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
    };
    expect(parseInventoryDocument(instance, 'f.json').errors).toEqual([]);
  });
  it('a full inventory with every collection', () => {
    const parsed = parseInventoryDocument(cleanInventory(), 'f.json');
    expect(parsed.errors).toEqual([]);
    expect(parsed.inventory.disks).toHaveLength(2);
  });
});

describe('rejected input names the file and the JSON path', () => {
  it('a resource no check reads, alone in a file', () => {
    const vnet = { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v', type: 'Microsoft.Network/virtualNetworks' };
    const parsed = parseInventoryDocument({ responses: { '200': { body: vnet } } }, 'vnet.json');
    expect(parsed.errors).toEqual([
      {
        file: 'vnet.json',
        path: '$.responses["200"].body',
        message: expect.stringMatching(
          /^a resource of type Microsoft.Network\/virtualNetworks \(.*\), which no check reads: expected one of: virtual machine, managed disk, network interface/,
        ),
      },
    ]);
  });
  it("a disk in an inventory document's VM list", () => {
    const parsed = parseInventoryDocument({ virtualMachines: [fixtureBody('Disk_Get.json')] }, 'disk.json');
    expect(parsed.errors).toEqual([
      {
        file: 'disk.json',
        path: '$.virtualMachines[0]',
        message:
          'expected a virtual machine, found a resource of type Microsoft.Compute/disks (/subscriptions/{subscriptionId}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/disks/myManagedDisk)',
      },
    ]);
  });
  it('a wrong type in a field the rules read, in the spelling the input used', () => {
    const bad = vm();
    bad.properties.storageProfile.dataDisks[0].diskSizeGB = '256';
    const az = { ...vm() };
    az.properties.storageProfile.osDisk = { diskSizeGb: 'big' };
    const parsed = parseInventoryDocument({ value: [vm(), bad] }, 'list.json');
    expect(parsed.errors.map((e) => e.path)).toEqual(['$.value[1].properties.storageProfile.dataDisks[0].diskSizeGB']);
    expect(parsed.errors[0]!.message).toMatch(/expected number, received string/);
    expect(parseInventoryDocument(az, 'az.json').errors.map((e) => e.path)).toEqual(['$.properties.storageProfile.osDisk.diskSizeGb']);
  });
  it('a whole file is dropped when any resource in it is bad: nothing half-read', () => {
    const doc = cleanInventory();
    doc.disks[1].properties.maxShares = 'two';
    const parsed = parseInventoryDocument(doc, 'inv.json');
    expect(parsed.errors.map((e) => e.path)).toEqual(['$.disks[1].properties.maxShares']);
    expect(parsed.inventory.virtualMachines).toEqual([]);
    expect(parsed.inventory.disks).toEqual([]);
  });
  it('unknown inventory keys, non-arrays and missing ids', () => {
    expect(parseInventoryDocument({ virtualMachine: [] }, 'f.json').errors[0]).toMatchObject({
      path: '$.virtualMachine',
      message: expect.stringMatching(/unknown inventory key "virtualMachine"/),
    });
    expect(parseInventoryDocument({ disks: {} }, 'f.json').errors[0]).toMatchObject({
      path: '$.disks',
      message: 'expected an array of managed disk resources, found an object',
    });
    expect(parseInventoryDocument({ name: 'vm1', properties: {} }, 'f.json').errors[0]).toMatchObject({
      path: '$',
      message: 'expected an ARM resource: the object has no "id" (and no "type")',
    });
    expect(parseInventoryDocument([1], 'f.json').errors[0]).toMatchObject({ path: '$[0]', message: 'expected an ARM resource object, found a number (1)' });
    expect(parseInventoryDocument('hello', 'f.json').errors[0]).toMatchObject({ path: '$' });
  });
});

describe('merging files', () => {
  it('evaluates a duplicate VM id once, with a warning naming both files', () => {
    const a = parseInventoryDocument(vm(), 'a.json').inventory;
    const upper = vm();
    upper.id = VM_ID.toUpperCase();
    const b = parseInventoryDocument(upper, 'b.json').inventory;
    const merged = mergeInventories([
      { file: 'a.json', inventory: a },
      { file: 'b.json', inventory: b },
    ]);
    expect(merged.inventory.virtualMachines).toHaveLength(1);
    expect(merged.warnings).toEqual([`duplicate VM ${VM_ID.toUpperCase()} in b.json (first seen in a.json): evaluated once, from a.json`]);
  });
  it('joins a VM in one file with its disks in another', () => {
    const { virtualMachines, ...rest } = cleanInventory();
    const merged = mergeInventories([
      { file: 'vms.json', inventory: parseInventoryDocument({ virtualMachines }, 'vms.json').inventory },
      { file: 'rest.json', inventory: parseInventoryDocument(rest, 'rest.json').inventory },
    ]);
    const [snapshot] = snapshotsOf(merged.inventory, bundledSizeCatalogue());
    expect(snapshot!.missing).toEqual([]);
    expect(snapshot!.protection.status).toBe('protected');
  });
});

describe('any JSON thrown at the builders', () => {
  const json = fc.jsonValue({ maxDepth: 6 });
  // Shapes close to real resources reach deeper into the schemas than random JSON does.
  const vmLike = fc.record({
    id: fc.oneof(fc.constant(VM_ID), fc.string(), fc.constant(42)),
    type: fc.oneof(fc.constant('Microsoft.Compute/virtualMachines'), fc.string(), fc.constant(undefined)),
    location: fc.oneof(fc.string(), fc.constant(null), json),
    zones: fc.oneof(fc.array(fc.string()), json),
    properties: fc.oneof(
      json,
      fc.record({ storageProfile: json, networkProfile: json, hardwareProfile: json, osProfile: json, instanceView: json }, { requiredKeys: [] }),
    ),
  });

  it('yields a snapshot or a clear error, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(json, vmLike, fc.array(vmLike), fc.record({ virtualMachines: fc.array(vmLike), disks: fc.array(json), locks: json }, { requiredKeys: [] })),
        (document) => {
          const parsed = parseInventoryDocument(document, 'random.json');
          for (const error of parsed.errors) {
            expect(error.file).toBe('random.json');
            expect(error.path.startsWith('$')).toBe(true);
            expect(error.message.length).toBeGreaterThan(0);
          }
          const snapshots = snapshotsOf(parsed.inventory, bundledSizeCatalogue());
          expect(snapshots.length).toBe(parsed.inventory.virtualMachines.length);
          for (const snapshot of snapshots) {
            expect(vmSnapshot.safeParse(snapshot).success).toBe(true);
            // A rule that throws is reported as unknown "a rule bug"; random data must never reach that path.
            const outcomes = evaluate(snapshot, getEdition('2026-03')).outcomes;
            expect(outcomes.filter((o) => o.message.includes('failed on this VM')).map((o) => o.message)).toEqual([]);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
