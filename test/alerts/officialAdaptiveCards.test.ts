// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { alertIntentOf, type AlertIntent } from '../../core/alerts/alertIntent.js';
import { sampleIntent } from '../../core/alerts/sampleIntent.js';
import { teamsMessageFor, type TeamsMessage } from '../../core/alerts/teamsCard.js';
import { teamsDigestFor } from '../../core/alerts/teamsDigest.js';
import type { OutboxRow } from '../../core/store/index.js';
import { VM_ID } from '../helpers/cleanVm.js';
import { cardText } from './adaptiveCardRules.js';
import { officialCardEvents } from './officialCardParser.js';

const links = { docsBaseUrl: 'https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/', findingsApiUrl: 'https://vmbg.example.net/api/' };

function row(transitions: unknown[], overrides: Partial<OutboxRow> = {}): OutboxRow {
  const at = '2026-11-26T10:00:00.000Z';
  return {
    partitionKey: 'p',
    rowKey: 'outbox|x',
    idempotencyKey: 'k',
    vmId: VM_ID,
    vmName: 'vm-app-01',
    subscriptionId: '11111111-2222-3333-4444-555555555555',
    resourceGroup: 'rg-app',
    edition: '2026-03',
    transitions: JSON.stringify(transitions),
    trigger: '{"kind":"event"}',
    createdAt: at,
    state: 'pending',
    nextAttemptAt: at,
    deliveries: '{}',
    ...overrides,
  };
}

const said = {
  message: 'Standard_B1s has 1 vCPU: backup needs at least 2 vCPUs.',
  evidence: { vmSize: 'Standard_B1s', vCpus: 1, memoryGiB: 1, vCPUsAvailable: null },
};
const every = [
  { kind: 'opened', ruleId: 'compute.min-size', severity: 'error', outcome: 'fail', ...said },
  { kind: 'reopened', ruleId: 'storage.disk-size', severity: 'warning', outcome: 'fail', message: 'Disk data-1 is 70 TB: the limit is 64 TB.' },
  { kind: 'severity-changed', ruleId: 'network.public-ip', severity: 'error', outcome: 'fail', previousSeverity: 'warning', message: 'x' },
  { kind: 'opened', ruleId: 'agent.ready', severity: 'info', outcome: 'unknown', message: 'The VM agent status is not in the data.' },
  {
    kind: 'resolved',
    ruleId: 'policy.daylight-saving',
    severity: 'info',
    outcome: 'fail',
    reason: 'passed',
    message: 'The policy runs in Pacific Standard Time.',
  },
  // Stored before alerts carried message and evidence: still a valid card, with the rule title.
  { kind: 'opened', ruleId: 'storage.shared-disk', severity: 'error', outcome: 'fail' },
];

function cardOf(message: TeamsMessage) {
  return message.attachments[0].content;
}

const kinds: [string, TeamsMessage][] = [
  ['per-VM card, every transition kind', teamsMessageFor(alertIntentOf(row(every), links))],
  ['per-VM card, relative docs and no findings API', teamsMessageFor(alertIntentOf(row(every)))],
  [
    'per-VM card cut to 28 KB',
    teamsMessageFor({
      ...alertIntentOf(row([every[0]]), links),
      transitions: Array.from({ length: 300 }, (_, i) => ({
        ...alertIntentOf(row([every[0]]), links).transitions[0]!,
        ruleId: `r${i}`,
        message: `${'long words '.repeat(20)}${i}`,
      })),
    }),
  ],
  ['the alerts test sample', teamsMessageFor(sampleIntent(new Date('2026-11-26T10:00:00Z'), links))],
  [
    'digest over two subscriptions, cut to 28 KB',
    teamsDigestFor(
      Array.from({ length: 400 }, (_, i): AlertIntent => {
        const sub = i % 2 === 0 ? '11111111-2222-3333-4444-555555555555' : '22222222-2222-3333-4444-555555555555';
        const name = `vm-${i}`;
        return alertIntentOf(row(i % 3 === 0 ? [every[0]] : [every[4]], { vmName: name, subscriptionId: sub, vmId: VM_ID.replace('vm-app-01', name) }), links);
      }),
      links,
    ),
  ],
];

describe('Teams cards through the official adaptivecards parser', () => {
  for (const [name, message] of kinds) {
    it(`${name}: no parse or validation event`, () => {
      const { events, renderedElements } = officialCardEvents(cardOf(message));
      expect(events).toEqual([]);
      expect(renderedElements).toBeGreaterThan(10);
    });
  }

  it('the parser does report problems (the negative control)', () => {
    const { events } = officialCardEvents({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'Tabel' }, { type: 'TextBlock' }] });
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatch(/Unknown element type "Tabel"/);
  });

  it('says what is wrong in the finding’s own words, with its facts, and the rule title beneath', () => {
    const text = cardText(cardOf(kinds[0]![1]));
    expect(text).toContain('Standard_B1s has 1 vCPU: backup needs at least 2 vCPUs.');
    expect(text).toContain('vmSize');
    expect(text).toContain('Rule: VM size of at least 2 vCPUs and 1 GB memory');
    expect(text).toContain('Was: The policy runs in Pacific Standard Time.');
  });

  it('no text is coloured: severity is a word in the theme’s text colour beside a coloured mark', () => {
    for (const [, message] of kinds) {
      const coloured = JSON.stringify(cardOf(message)).match(/"color":"[^"]+"/g) ?? [];
      expect(coloured).toEqual([]);
    }
    expect(JSON.stringify(cardOf(kinds[0]![1]))).toContain('🔴 ERROR · new finding · compute.min-size');
    expect(JSON.stringify(cardOf(kinds[0]![1]))).toContain('🟠 WARNING · finding is back · storage.disk-size');
  });

  it('links to the findings API or the portal, never to a CLI command', () => {
    for (const [, message] of kinds) expect(JSON.stringify(message)).not.toMatch(/vm-backup-guard findings/);
    const digest = JSON.stringify(cardOf(kinds[4]![1]));
    expect(digest).toContain('Subscription 11111111-2222-3333-4444-555555555555');
    expect(digest).toContain('Subscription 22222222-2222-3333-4444-555555555555');
    expect(digest).toContain('(https://vmbg.example.net/api/vms/11111111-2222-3333-4444-555555555555/rg-app/vm-0)');
    expect(digest).toMatch(/…and \d+ more VMs not shown \(\[see all\]\(https:\/\/vmbg\.example\.net\/api\/findings\)\)/);
  });
});
