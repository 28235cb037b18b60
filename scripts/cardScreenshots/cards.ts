import { sampleIntent } from '../../core/alerts/sampleIntent.js';
import { alertIntentOf } from '../../core/alerts/alertIntent.js';
import { teamsMessageFor, type AdaptiveCard } from '../../core/alerts/teamsCard.js';
import { teamsDigestFor } from '../../core/alerts/teamsDigest.js';
import type { OutboxRow } from '../../core/store/index.js';

/** The cards the docs show, made by the same code as real alerts (a sample VM; a digest over two subscriptions). */
const links = {
  docsBaseUrl: 'https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/',
  findingsApiUrl: 'https://vmbg-contoso.azurewebsites.net/api/',
};
const at = new Date('2026-11-26T10:00:00Z');

function digestRow(i: number): OutboxRow {
  const sub = i < 4 ? '11111111-2222-3333-4444-555555555555' : '22222222-3333-4444-5555-666666666666';
  const name = `vm-${i < 4 ? 'prod' : 'dev'}-app-0${i}`;
  const transitions =
    i % 3 === 0
      ? [{ kind: 'opened', ruleId: 'compute.min-size', severity: 'error', outcome: 'fail', message: 'Standard_B1s has 1 vCPU: backup needs at least 2 vCPUs.' }]
      : i % 3 === 1
        ? [
            {
              kind: 'opened',
              ruleId: 'storage.disk-type',
              severity: 'warning',
              outcome: 'fail',
              message: 'Disk data-1 is Premium SSD v2: back it up with the Enhanced policy.',
            },
          ]
        : [{ kind: 'resolved', ruleId: 'policy.daylight-saving', severity: 'info', outcome: 'fail', reason: 'passed' }];
  return {
    partitionKey: 'p',
    rowKey: 'r',
    idempotencyKey: `k${i}`,
    vmId: `/subscriptions/${sub}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/${name}`,
    vmName: name,
    subscriptionId: sub,
    resourceGroup: 'rg-app',
    edition: '2026-03',
    transitions: JSON.stringify(transitions),
    trigger: '{"kind":"sweep"}',
    createdAt: at.toISOString(),
    state: 'pending',
    nextAttemptAt: at.toISOString(),
    deliveries: '{}',
  };
}

export function screenshotCards(): Record<string, AdaptiveCard> {
  return {
    card: teamsMessageFor(sampleIntent(at, links)).attachments[0].content,
    digest: teamsDigestFor(
      Array.from({ length: 7 }, (_, i) => alertIntentOf(digestRow(i), links)),
      links,
    ).attachments[0].content,
  };
}
