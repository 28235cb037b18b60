import { describe, expect, it } from 'vitest';
import { parseEventDelivery, type EventHint } from '../../core/events/eventHints.js';
import { DATA_DISK_ID, ITEM_ID, NIC_ID, POLICY_ID, VM_ID } from '../helpers/cleanVm.js';

/** parseEventDelivery is pure (no I/O): each row is one delivery and the events or rejections it yields. */

const TIME = '2026-11-26T10:00:00.000Z';

function gridEvent(operationName: string, resourceUri: string, overrides: Record<string, unknown> = {}) {
  return {
    subject: resourceUri,
    eventType: 'Microsoft.Resources.ResourceWriteSuccess',
    eventTime: TIME,
    id: 'event-1',
    data: { resourceUri, operationName, correlationId: 'corr-1', status: 'Succeeded' },
    dataVersion: '2',
    metadataVersion: '1',
    topic: '/subscriptions/11111111-2222-3333-4444-555555555555',
    ...overrides,
  };
}

function cloudEvent(operationName: string, resourceUri: string) {
  return {
    specversion: '1.0',
    type: 'Microsoft.Resources.ResourceActionSuccess',
    source: '/subscriptions/x',
    id: 'cloud-1',
    time: TIME,
    subject: resourceUri,
    data: { resourceUri, operationName },
  };
}

type Expected = { hint: EventHint; id?: string; correlationId?: string | undefined } | { rejected: RegExp };

const rows: { name: string; delivery: unknown; expected: Expected[] }[] = [
  {
    name: 'a VM write → a vm hint, with its id, time and correlation id',
    delivery: gridEvent('Microsoft.Compute/virtualMachines/write', VM_ID),
    expected: [{ hint: { kind: 'vm', vmId: VM_ID }, id: 'event-1', correlationId: 'corr-1' }],
  },
  {
    name: 'operation names are matched case-insensitively',
    delivery: gridEvent('MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION', VM_ID),
    expected: [{ hint: { kind: 'vm', vmId: VM_ID } }],
  },
  {
    name: 'a disk write → disk-or-nic',
    delivery: gridEvent('Microsoft.Compute/disks/write', DATA_DISK_ID),
    expected: [{ hint: { kind: 'disk-or-nic', resourceId: DATA_DISK_ID } }],
  },
  {
    name: 'a NIC write → disk-or-nic',
    delivery: gridEvent('Microsoft.Network/networkInterfaces/write', NIC_ID),
    expected: [{ hint: { kind: 'disk-or-nic', resourceId: NIC_ID } }],
  },
  {
    name: 'a protected item write: not deleted',
    delivery: gridEvent('Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write', ITEM_ID),
    expected: [{ hint: { kind: 'protected-item', itemId: ITEM_ID, deleted: false } }],
  },
  {
    name: 'a protected item delete: deleted',
    delivery: gridEvent('Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete', ITEM_ID, {
      eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
    }),
    expected: [{ hint: { kind: 'protected-item', itemId: ITEM_ID, deleted: true } }],
  },
  {
    name: 'a policy write → policy',
    delivery: gridEvent('Microsoft.RecoveryServices/vaults/backupPolicies/write', POLICY_ID),
    expected: [{ hint: { kind: 'policy', policyId: POLICY_ID } }],
  },
  {
    name: 'a CloudEvents 1.0 event reads the same',
    delivery: cloudEvent('Microsoft.Compute/virtualMachines/start/action', VM_ID),
    expected: [{ hint: { kind: 'vm', vmId: VM_ID }, id: 'cloud-1', correlationId: undefined }],
  },
  {
    name: 'data as a JSON string (2017-era events)',
    delivery: gridEvent('Microsoft.Compute/virtualMachines/write', VM_ID, {
      data: JSON.stringify({ resourceUri: VM_ID, operationName: 'Microsoft.Compute/virtualMachines/write' }),
    }),
    expected: [{ hint: { kind: 'vm', vmId: VM_ID } }],
  },
  {
    name: 'a delivery as text',
    delivery: JSON.stringify(gridEvent('Microsoft.Compute/virtualMachines/write', VM_ID)),
    expected: [{ hint: { kind: 'vm', vmId: VM_ID } }],
  },
  {
    name: 'an array: each event on its own, in order',
    delivery: [
      gridEvent('Microsoft.Compute/virtualMachines/write', VM_ID),
      gridEvent('Microsoft.Storage/storageAccounts/write', VM_ID),
      gridEvent('Microsoft.Compute/disks/write', DATA_DISK_ID),
    ],
    expected: [
      { hint: { kind: 'vm', vmId: VM_ID } },
      { rejected: /^operation Microsoft\.Storage\/storageAccounts\/write is not handled$/ },
      { hint: { kind: 'disk-or-nic', resourceId: DATA_DISK_ID } },
    ],
  },
  {
    name: 'an event type not handled',
    delivery: gridEvent('Microsoft.Compute/virtualMachines/write', VM_ID, { eventType: 'Microsoft.Resources.ResourceWriteFailure' }),
    expected: [{ rejected: /^event type .* is not handled$/ }],
  },
  {
    name: 'a VM operation on a disk id (the kind comes from the operation, the id must match it)',
    delivery: gridEvent('Microsoft.Compute/virtualMachines/write', DATA_DISK_ID),
    expected: [{ rejected: /^resourceUri is not a VM id/ }],
  },
  {
    name: 'a disk operation on a VM id',
    delivery: gridEvent('Microsoft.Compute/disks/write', VM_ID),
    expected: [{ rejected: /^resourceUri is not a disk or NIC id/ }],
  },
  {
    name: 'data without a resourceUri',
    delivery: gridEvent('Microsoft.Compute/virtualMachines/write', VM_ID, { data: { operationName: 'Microsoft.Compute/virtualMachines/write' } }),
    expected: [{ rejected: /^data: resourceUri / }],
  },
  { name: 'invalid JSON text', delivery: '{"id":', expected: [{ rejected: /^invalid JSON: / }] },
  { name: 'not an event at all', delivery: { hello: 'world' }, expected: [{ rejected: /^not a valid Event Grid or CloudEvents event: / }] },
];

describe('parseEventDelivery', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const { events, rejected } = await parseEventDelivery(row.delivery);
      const wantEvents = row.expected.filter((e): e is Exclude<Expected, { rejected: RegExp }> => 'hint' in e);
      const wantRejected = row.expected.filter((e): e is { rejected: RegExp } => 'rejected' in e);
      expect(events.map((e) => e.hint)).toEqual(wantEvents.map((e) => e.hint));
      for (const [i, want] of wantEvents.entries()) {
        expect(events[i]!.time).toBe(TIME);
        if (want.id !== undefined) expect(events[i]!.id).toBe(want.id);
        if ('correlationId' in want) expect(events[i]!.correlationId).toBe(want.correlationId);
      }
      expect(rejected.map((r) => r.reason)).toEqual(wantRejected.map((r) => expect.stringMatching(r.rejected)));
    });
  }
});
