import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInventoryDocument } from '../../core/inventory/parseInventoryDocument.js';
import { bundledSizeCatalogue } from '../../core/inventory/sizeCatalogue.js';
import { snapshotsOf } from '../../core/snapshot/snapshotsOf.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { evaluate } from '../../core/matrix/evaluate.js';
import { cleanInventory, VM_ID } from '../helpers/cleanVm.js';
import { fixtureBody } from '../helpers/fixtures.js';

// Real exports (test/fixtures/README.md names each source): what people already have, read without jq.
const fixture = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8'));

describe('Resource Graph results', () => {
  it('the REST response with data as rows: routed by type, types no check reads skipped with a warning', () => {
    const parsed = parseInventoryDocument(fixture('resource-graph/ResourcesBasicQuery.2021-03-01.json'), 'arg.json');
    expect(parsed.errors).toEqual([]);
    expect(parsed.inventory.networkInterfaces.map((n) => n.name)).toEqual(['myNetworkInterface']);
    expect(parsed.inventory.publicIpAddresses.map((n) => n.name)).toEqual(['myPublicIp']);
    expect(parsed.warnings).toEqual(['arg.json: skipped 1 resource of type microsoft.network/virtualnetworks (not read by any check)']);
  });
  it('the REST response with data as a { columns, rows } table', () => {
    const parsed = parseInventoryDocument(fixture('resource-graph/ResourcesBasicQuery.2019-04-01.table.json'), 'arg.json');
    expect(parsed.errors).toEqual([]);
    expect(parsed.inventory.networkInterfaces.map((n) => n.id)).toEqual([
      '/subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourceGroups/RG1/providers/Microsoft.Network/networkInterfaces/myNetworkInterface',
    ]);
    expect(parsed.inventory.publicIpAddresses).toHaveLength(1);
  });
  it('az graph query output: recognised, and rows a check needs an id for are refused at their JSON path', () => {
    const parsed = parseInventoryDocument(fixture('resource-graph/az-graph-query.project-name-type.json'), 'az-graph.json');
    // `project name, type` drops the id: a VM, a NIC and a disk cannot be joined without it.
    expect(parsed.errors.map((e) => e.path)).toEqual(['$.data[0].id', '$.data[3].id', '$.data[4].id']);
  });
  it('az graph query output of a fleet query: VMs with their Resource Graph instance view slice, disks, NICs, protected items', () => {
    const inventory = cleanInventory();
    const vm = inventory.virtualMachines[0];
    // Resource Graph has no $expand: the power state and OS name come in properties.extended.instanceView.
    delete vm.properties.instanceView;
    vm.properties.extended = {
      instanceView: {
        powerState: { code: 'PowerState/deallocated', displayStatus: 'VM deallocated' },
        osName: 'Windows Server 2016 Datacenter',
        osVersion: '10.0.14393.0',
      },
    };
    const rows = [vm, ...inventory.disks, ...inventory.networkInterfaces, ...inventory.protectedItems, ...inventory.policies].map((r) => ({
      ...r,
      type: r.type.toLowerCase(),
    }));
    const parsed = parseInventoryDocument({ count: rows.length, data: rows, skip_token: null, total_records: rows.length }, 'fleet.json');
    expect(parsed.errors).toEqual([]);
    const [snapshot] = snapshotsOf(parsed.inventory, bundledSizeCatalogue());
    expect(snapshot!.powerState).toBe('deallocated');
    expect(snapshot!.os.label).toBe('Windows Server 2016 Datacenter');
    expect(snapshot!.protection.status).toBe('protected');
  });
});

describe('raw arrays, list responses and single resources of any type the inventory knows', () => {
  it('az disk create/show output: one flattened disk without a type', () => {
    const parsed = parseInventoryDocument(fixture('az/disk-create.premiumv2.json'), 'disk.json');
    expect(parsed.errors).toEqual([]);
    expect(parsed.inventory.disks.map((d) => d.sku?.name)).toEqual(['PremiumV2_LRS']);
  });
  it('a disk GET (az disk show), a backup policy GET (az backup policy show), a protected items list', () => {
    expect(parseInventoryDocument(fixtureBody('Disk_Get.json'), 'd.json').inventory.disks).toHaveLength(1);
    expect(parseInventoryDocument(fixtureBody('ProtectionPolicies_Get.json'), 'p.json').inventory.policies).toHaveLength(1);
    const list = parseInventoryDocument(fixture('arm/BackupProtectedItems_List.json'), 'items.json');
    expect(list.errors).toEqual([]);
    expect(list.inventory.protectedItems).toHaveLength(1);
    // `az backup item list` prints the same items as a bare array.
    expect(
      parseInventoryDocument(fixture('arm/BackupProtectedItems_List.json').responses['200'].body.value, 'items.json').inventory.protectedItems,
    ).toHaveLength(1);
  });
  it('az disk list > disks.json: an array of disks, no jq needed; files merge by id', () => {
    const inventory = cleanInventory();
    const disks = parseInventoryDocument(inventory.disks, 'disks.json');
    expect(disks.errors).toEqual([]);
    expect(disks.inventory.disks).toHaveLength(2);
  });
});

describe('az outputs with empty strings for absent values', () => {
  it('az vm create: "zones": "" reads as no zones, its identity fields as a system-assigned identity', () => {
    const parsed = parseInventoryDocument(fixture('az/vm-create.identity-empty-zones.json'), 'vm.json');
    expect(parsed.errors).toEqual([]);
    const [snapshot] = snapshotsOf(parsed.inventory, bundledSizeCatalogue());
    expect(snapshot!.zones).toEqual([]);
    expect(snapshot!.powerState).toBe('running');
    expect(snapshot!.managedIdentities).toEqual(['SystemAssigned']);
    // Without the VM model, the rules that need it say so instead of guessing.
    const spot = evaluate(snapshot!, getEdition('2026-03')).outcomes.find((o) => o.ruleId === 'compute.spot-vm')!;
    expect(spot.outcome).toBe('unknown');
  });
});

describe('decided without the disk resource', () => {
  it('a Standard HDD data disk cannot be shared: storage.shared-disk is decided from the VM model alone', () => {
    const doc = cleanInventory();
    doc.disks = [];
    doc.virtualMachines[0].properties.storageProfile.dataDisks[0].managedDisk.storageAccountType = 'Standard_LRS';
    doc.virtualMachines[0].properties.storageProfile.osDisk.managedDisk.storageAccountType = 'Standard_LRS';
    const [snapshot] = snapshotsOf(parseInventoryDocument(doc, 'f.json').inventory, bundledSizeCatalogue());
    const outcomes = evaluate(snapshot!, getEdition('2026-03')).outcomes;
    for (const id of ['storage.shared-disk', 'policy.enhanced-required']) expect(outcomes.find((o) => o.ruleId === id)?.outcome, id).toBe('pass');
    doc.virtualMachines[0].properties.storageProfile.dataDisks[0].managedDisk.storageAccountType = 'Premium_LRS';
    const [premium] = snapshotsOf(parseInventoryDocument(doc, 'f.json').inventory, bundledSizeCatalogue());
    expect(evaluate(premium!, getEdition('2026-03')).outcomes.find((o) => o.ruleId === 'storage.shared-disk')?.outcome).toBe('unknown');
  });
});

describe('Uniform scale set instances judged from their inline network definitions', () => {
  it('a referenced NIC under the scale set that is not in the data: networkProfileConfiguration decides', () => {
    const doc = cleanInventory();
    const vm = doc.virtualMachines[0];
    vm.id = VM_ID.replace('/virtualMachines/vm-app-01', '/virtualMachineScaleSets/vmss-web/virtualMachines/3');
    vm.type = 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines';
    vm.properties.networkProfile = { networkInterfaces: [{ id: `${vm.id}/networkInterfaces/nic-web` }] };
    vm.properties.networkProfileConfiguration = {
      networkInterfaceConfigurations: [
        {
          name: 'nic-web',
          properties: {
            primary: true,
            ipConfigurations: [
              {
                name: 'ipconfig1',
                properties: {
                  loadBalancerBackendAddressPools: [{ id: 'pool' }],
                  loadBalancerInboundNatPools: [{ id: 'nat' }],
                  publicIPAddressConfiguration: { name: 'pip', properties: {} },
                },
              },
            ],
          },
        },
      ],
    };
    doc.networkInterfaces = [];
    const [snapshot] = snapshotsOf(parseInventoryDocument(doc, 'f.json').inventory, bundledSizeCatalogue());
    expect(snapshot!.nics).toEqual([
      {
        id: 'inline:nic-web',
        known: true,
        inline: true,
        ipConfigurations: [{ name: 'ipconfig1', publicIp: { id: null, known: true, allocation: null }, loadBalancerBackendPools: 1, inboundNatRules: 1 }],
      },
    ]);
    expect(snapshot!.missing.some((m) => m.startsWith('network interface'))).toBe(false);
  });
});

describe('a VM still provisioning', () => {
  it('agent.ready is unknown with the reason, not "backup jobs will fail"', () => {
    for (const variant of ['osProvisioning', 'blob'] as const) {
      const doc = cleanInventory();
      const iv = doc.virtualMachines[0].properties.instanceView;
      if (variant === 'osProvisioning') {
        iv.statuses = [
          { code: 'ProvisioningState/creating/osProvisioningInProgress', level: 'Info', displayStatus: 'OS Provisioning In progress' },
          { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' },
        ];
        iv.vmAgent = { vmAgentVersion: 'Unknown', statuses: [] };
      } else {
        iv.vmAgent = {
          vmAgentVersion: 'Unknown',
          statuses: [
            { code: 'ProvisioningState/Unavailable', level: 'Warning', displayStatus: 'Not Ready', message: 'VM status blob is found but not yet populated.' },
          ],
        };
      }
      const [snapshot] = snapshotsOf(parseInventoryDocument(doc, 'f.json').inventory, bundledSizeCatalogue());
      const ready = evaluate(snapshot!, getEdition('2026-03')).outcomes.find((o) => o.ruleId === 'agent.ready')!;
      expect(ready.outcome, variant).toBe('unknown');
      expect(ready.message).toMatch(variant === 'blob' ? /status blob is not yet populated/ : /osProvisioningInProgress/);
    }
  });
});
