import type { OutboxRow, Transition } from '../store/index.js';
import { alertIntentOf, type AlertIntent } from './alertIntent.js';
import type { AlertLinks } from './alertLinks.js';

const SAMPLE_VM_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-sample/providers/Microsoft.Compute/virtualMachines/vm-sample-01';

/**
 * What `alerts test` sends: a made-up VM with a blocking finding opened and another resolved, rendered by the same
 * code as real alerts. Its idempotency key is new each time, so a receiver that drops duplicates still shows it.
 */
export function sampleIntent(now: Date, links: Partial<AlertLinks> = {}): AlertIntent {
  const transitions: Transition[] = [
    {
      kind: 'opened',
      ruleId: 'compute.min-size',
      severity: 'error',
      outcome: 'fail',
      message: 'Standard_B1s has 1 vCPU: backup needs at least 2 vCPUs.',
      evidence: { vmSize: 'Standard_B1s', vCpus: 1, memoryGiB: 1, vCPUsAvailable: null },
    },
    {
      kind: 'resolved',
      ruleId: 'policy.daylight-saving',
      severity: 'info',
      outcome: 'fail',
      reason: 'passed',
      message: 'The backup policy runs in Pacific Standard Time, which observes daylight saving time',
    },
  ];
  const row: OutboxRow = {
    partitionKey: 'sample',
    rowKey: 'sample',
    idempotencyKey: `sample-${now.getTime().toString(36)}`,
    vmId: SAMPLE_VM_ID,
    vmName: 'vm-sample-01',
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    resourceGroup: 'rg-sample',
    edition: '2026-03',
    transitions: JSON.stringify(transitions),
    trigger: JSON.stringify({ kind: 'manual' }),
    createdAt: now.toISOString(),
    state: 'pending',
    nextAttemptAt: now.toISOString(),
    deliveries: '{}',
  };
  return alertIntentOf(row, links);
}
