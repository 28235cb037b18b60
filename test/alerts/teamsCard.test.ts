import { describe, expect, it } from 'vitest';
import { alertIntentOf, type AlertIntent, type AlertTransition } from '../../core/alerts/alertIntent.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { messageBytes, teamsMessageFor } from '../../core/alerts/teamsCard.js';
import { teamsDigestFor } from '../../core/alerts/teamsDigest.js';
import type { OutboxRow } from '../../core/store/index.js';
import { VM_ID } from '../helpers/cleanVm.js';
import { adaptiveCardProblems, cardText, teamsMessageProblems } from './adaptiveCardRules.js';

function row(transitions: unknown[], overrides: Partial<OutboxRow> = {}): OutboxRow {
  return {
    partitionKey: 'p',
    rowKey: 'outbox|x',
    idempotencyKey: '0123456789abcdef0123456789abcdef',
    vmId: VM_ID,
    vmName: 'vm-app-01',
    subscriptionId: '11111111-2222-3333-4444-555555555555',
    resourceGroup: 'rg-app',
    edition: '2026-03',
    transitions: JSON.stringify(transitions),
    trigger: '{"kind":"event"}',
    createdAt: '2026-11-26T10:00:00.000Z',
    state: 'pending',
    nextAttemptAt: '2026-11-26T10:00:00.000Z',
    deliveries: '{}',
    ...overrides,
  };
}

const opened = { kind: 'opened', ruleId: 'compute.min-size', severity: 'error', outcome: 'fail' };
const resolved = { kind: 'resolved', ruleId: 'policy.daylight-saving', severity: 'info', outcome: 'fail', reason: 'passed' };
const check = (message: ReturnType<typeof teamsMessageFor>) => teamsMessageProblems(JSON.stringify(message));

describe('the Teams card', () => {
  it('shows the VM, each transition with severity, rule id and title, the matrix row, what to do, and the portal link', () => {
    const intent = alertIntentOf(row([resolved, opened]), { docsBaseUrl: 'https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/' });
    const message = teamsMessageFor(intent);
    expect(check(message)).toEqual([]);
    const card = message.attachments[0].content;
    expect(card.version).toBe('1.4');
    const text = cardText(card);
    expect(text).toContain('VM: vm-app-01');
    expect(text).toContain('Resource group: rg-app');
    expect(text).toContain('Subscription: 11111111-2222-3333-4444-555555555555');
    // The blocking finding leads; the resolution follows.
    expect(text.indexOf('compute.min-size')).toBeLessThan(text.indexOf('policy.daylight-saving'));
    expect(text).toContain('ERROR · new finding · compute.min-size');
    expect(text).toContain(intent.transitions.find((t) => t.ruleId === 'compute.min-size')!.ruleTitle);
    const citation = getEdition('2026-03').rules.find((r) => r.rule.id === 'compute.min-size')!.citation;
    expect(text).toContain(`Matrix: ${citation.section} › ${citation.row}`);
    expect(text).toContain('What to do: [compute.min-size.md](https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/compute.min-size.md)');
    expect(text).toContain('✅ RESOLVED · policy.daylight-saving');
    expect(text).toContain('Why resolved: the rule passes now.');
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the VM in the Azure portal', url: `https://portal.azure.com/#@/resource${VM_ID}` }]);
  });

  it('without a docs site, names the rule page as text (cards cannot open relative links)', () => {
    const text = cardText(teamsMessageFor(alertIntentOf(row([opened]))).attachments[0].content);
    expect(text).toContain('What to do: docs/rules/compute.min-size.md');
  });

  it('says what a severity change, a reopening, an unknown and a deleted VM mean', () => {
    const text = cardText(
      teamsMessageFor(
        alertIntentOf(
          row([
            { kind: 'severity-changed', ruleId: 'storage.disk-size', severity: 'error', outcome: 'fail', previousSeverity: 'warning' },
            { kind: 'reopened', ruleId: 'compute.min-size', severity: 'error', outcome: 'fail' },
            { kind: 'opened', ruleId: 'agent.ready', severity: 'info', outcome: 'unknown' },
            { kind: 'resolved', ruleId: 'network.public-ip', severity: 'warning', outcome: 'fail', reason: 'vm-deleted' },
          ]),
        ),
      ).attachments[0].content,
    );
    expect(text).toContain('ERROR · severity warning → error · storage.disk-size');
    expect(text).toContain('ERROR · finding is back · compute.min-size');
    expect(text).toContain('INFO · cannot be checked (facts missing) · agent.ready');
    expect(text).toContain('Why resolved: the VM was deleted.');
  });

  it('stays under 28 KB: what does not fit becomes "and N more"', () => {
    const base = alertIntentOf(row([opened]));
    const many: AlertTransition[] = Array.from({ length: 400 }, (_, i) => ({
      ...base.transitions[0]!,
      ruleId: `compute.min-size-${i}`,
      ruleTitle: `A long rule title that takes room ${'x'.repeat(40)} ${i}`,
    }));
    const message = teamsMessageFor({ ...base, transitions: many });
    expect(messageBytes(message)).toBeLessThanOrEqual(28_000);
    expect(check(message)).toEqual([]);
    const text = cardText(message.attachments[0].content);
    const shown = (text.match(/compute\.min-size-\d+/g) ?? []).length;
    expect(shown).toBeGreaterThan(20);
    expect(text).toContain(`…and ${400 - shown} more changes`);
  });

  it('one digest for many VMs: the VMs, their counts, most severe first, under 28 KB', () => {
    const intents: AlertIntent[] = Array.from({ length: 300 }, (_, i) => {
      const name = `vm-fleet-${String(i).padStart(3, '0')}`;
      const intent = alertIntentOf(row(i === 7 ? [opened, resolved] : [resolved], { vmName: name, vmId: VM_ID.replace('vm-app-01', name) }));
      return intent;
    });
    const message = teamsDigestFor(intents);
    expect(check(message)).toEqual([]);
    expect(messageBytes(message)).toBeLessThanOrEqual(28_000);
    const text = cardText(message.attachments[0].content);
    expect(text).toContain('Azure VM backup: 300 VMs changed — 1 opened, 300 resolved');
    expect(text).toContain('New or worse: errors: 1');
    expect(text).toMatch(/^Subscription 11111111-2222-3333-4444-555555555555 · \d+ VMs$/m);
    expect(text).toMatch(
      /^🔴 \[vm-fleet-007\]\(https:\/\/portal\.azure\.com\/#@\/resource\/subscriptions\/.+vm-fleet-007\) · rg-app: 1 opened, 1 resolved — errors: compute\.min-size$/m,
    );
    expect(text.indexOf('vm-fleet-007')).toBeLessThan(text.indexOf('vm-fleet-000'));
    expect(text).toMatch(/…and \d+ more VMs/);
  });

  it('the offline checker itself refuses what Teams would refuse', () => {
    expect(
      adaptiveCardProblems({
        type: 'AdaptiveCard',
        version: '1.6',
        body: [{ type: 'Table' }, { type: 'TextBlock', text: 'x', colour: 'red', size: 'huge' }],
        msteams: {},
      }),
    ).toEqual([
      'card.version: "1.6" is not a version Teams renders (1.0-1.5)',
      'card.msteams: not a property of AdaptiveCard',
      'card.body[0]: unknown element type Table',
      'card.body[1].colour: not a property of TextBlock',
      'card.body[1].size: "huge" is not one of default, small, medium, large, extralarge',
    ]);
    expect(
      teamsMessageProblems(
        JSON.stringify({
          type: 'message',
          attachments: [
            { contentType: 'application/json', content: { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: '[a](docs/x.md)' }] } },
          ],
        }),
      ),
    ).toEqual([
      'attachments[0].contentType: must be application/vnd.microsoft.card.adaptive',
      'attachments[0].card.body[0].text link: "docs/x.md" is not an absolute https URL',
    ]);
  });
});
